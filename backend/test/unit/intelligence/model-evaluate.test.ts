import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { modelEvaluate } from '../../../src/cli/model-evaluate';
import { StartupError } from '../../../src/runtime/startup-error';

const dir = mkdtempSync(join(tmpdir(), 'cairn-model-evaluate-'));

function writeCsv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** 400 rows: x drives the label, t is a timestamp, id is an identifier. */
const good = writeCsv(
  'good.csv',
  [
    'id,t,x,colour,outcome',
    ...Array.from({ length: 400 }, (_, i) => {
      const x = ((i * 37) % 100) / 10;
      return `u${i},${1_700_000_000 + i * 60},${x},${['red', 'blue'][i % 2]},${x + (i % 7) > 8 ? 'won' : 'lost'}`;
    }),
  ].join('\n'),
);

afterEach(() => vi.restoreAllMocks());

async function run(args: string[]): Promise<any> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  await modelEvaluate(args);
  return JSON.parse(out);
}

describe('cairn model:evaluate', () => {
  it('prints a JSON report for both models with k-fold metrics', async () => {
    const r = await run([
      '--csv',
      good,
      '--label',
      'outcome',
      '--positive',
      'won',
      '--drop',
      'id,t',
      '--folds',
      '3',
    ]);
    expect(r).toMatchObject({ label: 'outcome', rows: 400, positiveLabel: 'won', columns: { input: 2 } });
    for (const m of [r.models.logistic, r.models.gbdt]) {
      expect(m.rocAuc.values).toHaveLength(3);
      expect(m.rocAuc.mean).toBeGreaterThan(0.8);
      expect(m.topFeatures[0].feature).toBe('x');
      expect(m.trainSeconds.mean).toBeGreaterThan(0);
    }
  });

  it('evaluates on the latest 20% by --time', async () => {
    const r = await run([`--csv=${good}`, '--label=outcome', '--positive=won', '--drop=id', '--time=t']);
    expect(r.scheme).toMatch(/latest 20%/);
    expect(r.models.gbdt.rocAuc.values).toHaveLength(1);
  });

  it.each([
    [['--csv', join(dir, 'missing.csv'), '--label', 'outcome'], /no such file/],
    [['--csv', good, '--label', 'nope'], /unknown label column "nope"/],
    [['--csv', good, '--label', 'outcome', '--positive', 'won'], /"id" has 400 distinct text values/],
    [['--csv', good, '--label', 'outcome', '--folds', 'three'], /--folds must be an integer/],
    [['--csv', good], /missing --csv or --label/],
    [['--csv', good, '--label', 'outcome', '--frobnicate', '1'], /unknown argument "--frobnicate"/],
    [['--csv', writeCsv('one.csv', 'a,y\n1,no\n2,no\n'), '--label', 'y'], /single class/],
    [['--csv', writeCsv('bin.csv', 'a,y\n\u0000\u0001'), '--label', 'y'], /not a text CSV/],
  ])('fails with a one-line StartupError: %j', async (args, message) => {
    const err = await modelEvaluate(args).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

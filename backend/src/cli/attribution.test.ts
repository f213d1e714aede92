import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { StartupError } from '../runtime/startup-error';
import { attribution } from './attribution';

const dir = mkdtempSync(join(tmpdir(), 'cairn-attribution-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pathsFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function printed(args: string[]): Promise<any> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    await attribution(args);
  } finally {
    write.mockRestore();
  }
  return JSON.parse(out);
}

describe('cairn attribution', () => {
  it('prints removal effects and heuristic credit per channel as JSON', async () => {
    // The hand-solved chain of markov-attribution.test.ts: effects A 5/8, B 2/3; 5 conversions, value 50.
    const file = pathsFile(
      'paths.csv',
      'path;total_conversions;total_conversion_value;total_null\r\n' +
        'A > B;2;20;1\r\nA;1;10;1\r\nB;1;5;3\r\nB > A;1;15;0\r\n',
    );
    const report = await printed(['--paths', file]);
    expect(report.file).toBe(file);
    expect(report.baselineConversionProbability).toBeCloseTo(0.5, 14);
    expect(report.totals).toEqual({ paths: 4, journeys: 10, conversions: 5, value: 50 });
    expect(report.channels.map((c: any) => c.channel)).toEqual(['B', 'A']); // most credited first
    const [b, a] = report.channels;
    expect(a).toMatchObject({ firstTouch: 3, lastTouch: 2, linear: 2.5 });
    expect(b).toMatchObject({ firstTouch: 2, lastTouch: 3, linear: 2.5 });
    expect(a.removalEffect).toBeCloseTo(5 / 8, 14);
    expect(b.removalEffect).toBeCloseTo(2 / 3, 14);
    expect(a.conversions).toBeCloseTo(75 / 31, 12);
    expect(b.value).toBeCloseTo(800 / 31, 12);
  });

  it('accepts --paths=FILE', async () => {
    const file = pathsFile(
      'one.csv',
      'path;total_conversions;total_conversion_value;total_null\nEmail;1;3;1\n',
    );
    const report = await printed([`--paths=${file}`]);
    expect(report.channels).toEqual([
      {
        channel: 'Email',
        removalEffect: 1,
        conversions: 1,
        value: 3,
        firstTouch: 1,
        lastTouch: 1,
        linear: 1,
      },
    ]);
  });

  it('turns user mistakes into one-line StartupErrors', async () => {
    const bad = pathsFile('bad.csv', 'path;total_conversions;total_conversion_value;total_null\nA;1;2\n');
    await expect(attribution(['--paths', bad])).rejects.toThrow(
      new StartupError(`${bad} line 2 has 3 fields, the header has 4`),
    );
    await expect(attribution([])).rejects.toThrow(/^missing --paths\. Usage: attribution --paths FILE$/);
    await expect(attribution(['--csv', 'x'])).rejects.toThrow(/^Unknown option '--csv'\. Usage:/);
    await expect(attribution(['--paths'])).rejects.toThrow(StartupError);
    await expect(attribution(['--paths', join(dir, 'missing.csv')])).rejects.toThrow(/^no such file: /);
  });
});

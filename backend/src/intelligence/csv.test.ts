import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-parse';
import { loadCsvText } from './csv';
import { encodeForLinear, encodeForTrees } from './encoding';

describe('CSV parsing', () => {
  it('handles quoted commas, doubled quotes, embedded newlines, CRLF and a BOM', () => {
    const text = '\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\r\n\r\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
    ]);
  });

  it('reports an unterminated quote with its line', () => {
    expect(() => parseCsv('a,b\n1,"oops\n2,3\n')).toThrow(/line 2/);
  });
});

describe('loading a labelled CSV', () => {
  const text = [
    'id,amount,plan,when,churn',
    '1,10.5,basic,2024-01-03,Yes',
    '2, ,pro,2024-01-01,No',
    '3,7,basic,2024-01-02,No',
    '4,NA,,2024-01-05,Yes',
    '5,3,"enterprise",2024-01-04,No',
  ].join('\n');

  it('infers numeric and categorical columns; blanks and NA are missing', () => {
    const d = loadCsvText(text, { label: 'churn', positive: 'Yes', drop: ['id'] });
    expect([...d.y]).toEqual([1, 0, 0, 1, 0]);
    const [amount, plan, when] = d.table.columns;
    expect(amount).toMatchObject({ kind: 'numeric', name: 'amount' });
    expect(amount?.kind === 'numeric' && [...amount.values]).toEqual([10.5, NaN, 7, NaN, 3]);
    expect(plan).toMatchObject({ kind: 'categorical', levels: ['basic', 'enterprise', 'pro'] });
    expect(plan?.kind === 'categorical' && [...plan.codes]).toEqual([0, 2, 0, -1, 1]);
    expect(when!.kind).toBe('categorical');
  });

  it('encodes categoricals one-hot for linear models and as codes for trees', () => {
    const d = loadCsvText(text, { label: 'churn', positive: 'Yes', drop: ['id', 'when'] });
    const lin = encodeForLinear(d.table);
    expect(lin.names).toEqual(['amount', 'plan=basic', 'plan=enterprise', 'plan=pro']);
    expect([...lin.values.subarray(5, 10)]).toEqual([1, 0, 1, 0, 0]);
    const trees = encodeForTrees(d.table);
    expect([...trees.values.subarray(5, 10)]).toEqual([0, 2, 0, NaN, 1]);
  });

  it('parses a time column and keeps it out of the features', () => {
    const d = loadCsvText(text, { label: 'churn', positive: 'Yes', drop: ['id'], time: 'when' });
    expect(d.table.columns.map((c) => c.name)).toEqual(['amount', 'plan']);
    expect(d.time![1]).toBeLessThan(d.time![2]!);
  });

  it('infers the positive class for yes/no labels', () => {
    expect(loadCsvText(text, { label: 'churn', drop: ['id'] }).positive).toBe('Yes');
  });

  it.each([
    [{ label: 'nope' }, /unknown label column "nope"/],
    [{ label: 'churn', drop: ['nope'] }, /unknown --drop column "nope"/],
    [{ label: 'churn', positive: 'Maybe' }, /never occurs/],
    [{ label: 'plan' }, /3 values: pass --positive/],
    [{ label: 'churn', time: 'plan' }, /neither a number nor a date/],
  ])('rejects bad options with a clear message %#', (opts, message) => {
    expect(() => loadCsvText(text, opts)).toThrow(message);
  });

  it('rejects a one-class label, ragged rows, identifiers and mostly-numeric garbage', () => {
    expect(() => loadCsvText('a,y\n1,0\n2,0\n', { label: 'y' })).toThrow(/single class/);
    expect(() => loadCsvText('a,y\n1,0\n2\n', { label: 'y' })).toThrow(/record 3 has 1 fields/);
    const ids = ['id,y', ...Array.from({ length: 300 }, (_, i) => `u${i},${i % 2}`)].join('\n');
    expect(() => loadCsvText(ids, { label: 'y', maxLevels: 255 })).toThrow(/--drop id/);
    const garbage = [
      'a,y',
      ...Array.from({ length: 40 }, (_, i) => `${i === 17 ? 'oops' : i},${i % 2}`),
    ].join('\n');
    expect(() => loadCsvText(garbage, { label: 'y' })).toThrow(/numeric except for "oops"/);
  });
});

describe('CSV edge cases', () => {
  it('keeps empty fields at the end of a line and of the text', () => {
    expect(parseCsv('a,b\n1,\n2,')).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['2', ''],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { stratifiedHoldout, stratifiedKFold, timeSplit } from './cross-validation';

const y = Uint8Array.from({ length: 103 }, (_, i) => (i % 5 === 0 ? 1 : 0)); // 21 positives

describe('stratified k-fold', () => {
  it('partitions the rows: every row is tested exactly once and never trained on in its fold', () => {
    const folds = stratifiedKFold(y, 5, 3);
    const seen = new Int32Array(y.length);
    for (const f of folds) {
      for (const i of f.test) seen[i]!++;
      expect(f.train.length + f.test.length).toBe(y.length);
      const test = new Set(f.test);
      expect([...f.train].some((i) => test.has(i))).toBe(false);
    }
    expect([...seen].every((c) => c === 1)).toBe(true);
  });

  it('keeps each fold within one row of the overall class counts', () => {
    for (const f of stratifiedKFold(y, 5, 1)) {
      const pos = [...f.test].filter((i) => y[i]).length;
      expect(pos === 4 || pos === 5).toBe(true);
      expect(f.test.length === 20 || f.test.length === 21).toBe(true);
    }
  });

  it('is reproducible from its seed and differs across seeds', () => {
    expect(stratifiedKFold(y, 4, 7)[0]!.test).toEqual(stratifiedKFold(y, 4, 7)[0]!.test);
    expect(stratifiedKFold(y, 4, 7)[0]!.test).not.toEqual(stratifiedKFold(y, 4, 8)[0]!.test);
  });

  it('holds out a stratified share', () => {
    const h = stratifiedHoldout(y, 0.2, 1);
    expect([...h.test].filter((i) => y[i]).length).toBe(4);
    expect(h.test.length + h.train.length).toBe(103);
  });
});

describe('time split', () => {
  it('tests on the latest share and trains only on earlier rows; ties at the cut-off go to test', () => {
    const time = [5, 1, 9, 3, 7, 9, 2, 8, 4, 6];
    const s = timeSplit(time, 0.2);
    expect(s.cutoff).toBe(9);
    expect([...s.test].map((i) => time[i])).toEqual([9, 9]);
    expect(Math.max(...[...s.train].map((i) => time[i]!))).toBeLessThan(9);
    const s3 = timeSplit(time, 0.3);
    expect([...s3.test].map((i) => time[i]).sort()).toEqual([8, 9, 9]);
  });
});

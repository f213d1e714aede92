import { describe, expect, it } from 'vitest';
import { solveLinearSystem } from './linear-solve';

describe('Gaussian elimination with partial pivoting', () => {
  it('solves a 3×3 system (hand: x = 2, y = 3, z = −1)', () => {
    // 2x + y − z = 8, −3x − y + 2z = −11, −2x + y + 2z = −3 (the textbook example).
    const a = [2, 1, -1, -3, -1, 2, -2, 1, 2];
    const b = [8, -11, -3];
    const x = solveLinearSystem(a, b, 3);
    [2, 3, -1].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 13));
    expect(a).toEqual([2, 1, -1, -3, -1, 2, -2, 1, 2]); // inputs untouched
  });

  it('needs the pivot swap when the leading entry is zero', () => {
    const x = solveLinearSystem([0, 1, 1, 0], [5, 7], 2);
    expect(Array.from(x)).toEqual([7, 5]);
  });

  it('stays accurate where pivoting matters (1e-20 leading entry: without it x₀ comes out as 0)', () => {
    const x = solveLinearSystem([1e-20, 1, 1, 1], [1, 2], 2);
    expect(x[0]).toBeCloseTo(1, 14);
    expect(x[1]).toBeCloseTo(1, 14);
  });

  it('reports a singular system and a shape mismatch', () => {
    expect(() => solveLinearSystem([1, 2, 2, 4], [1, 2], 2)).toThrow(/singular/);
    expect(() => solveLinearSystem([1, 2, 3], [1, 2], 2)).toThrow(RangeError);
  });
});

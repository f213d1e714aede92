import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './multiple-testing';

describe('Benjamini–Hochberg', () => {
  it('reproduces the 15 p-values of Benjamini & Hochberg (1995), section 4: four rejections at 0.05', () => {
    const p = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
      0.759, 1,
    ];
    // statsmodels multipletests(p, method="fdr_bh")[1], equal to R p.adjust(p, "BH").
    const expected = [
      0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645, 0.0765,
      0.486, 0.5811818181818182, 0.714875, 0.7532307692307694, 0.8132142857142857, 1,
    ];
    const { qValues, rejected } = benjaminiHochberg(p);
    expected.forEach((q, i) => expect(qValues[i]).toBeCloseTo(q, 14));
    expect(rejected).toEqual(p.map((_, i) => i < 4));
  });

  it('keeps input order and takes the running minimum (hand: sorted 0.005, 0.01, 0.03, 0.04 → ×4/rank)', () => {
    // 0.005·4 = 0.02, 0.01·2 = 0.02, 0.03·4/3 = 0.04, 0.04·4/4 = 0.04.
    const { qValues, rejected } = benjaminiHochberg([0.01, 0.04, 0.03, 0.005], 0.03);
    expect(Array.from(qValues)).toEqual([0.02, 0.04, 0.04, 0.02]);
    expect(rejected).toEqual([true, false, false, true]);
  });

  it('caps at 1, handles ties and an empty list', () => {
    expect(Array.from(benjaminiHochberg([0.9, 0.9, 0.9]).qValues)).toEqual([0.9, 0.9, 0.9]);
    expect(benjaminiHochberg([0.6, 0.8]).qValues[0]).toBe(0.8);
    expect(benjaminiHochberg([]).rejected).toEqual([]);
  });

  it('rejects values that are not p-values', () => {
    expect(() => benjaminiHochberg([0.1, NaN])).toThrow(/p-value 1/);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
  });
});

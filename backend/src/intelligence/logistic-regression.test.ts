import { describe, expect, it } from 'vitest';
import { fitLogistic, logisticContributions, logisticMargins } from './logistic-regression';
import { matrixFromRows } from './matrix';

// 40 rows generated with numpy (seed 42); reference fits computed with statsmodels 0.15 and scikit-learn 1.9.
const rows = [
  [0.3, 6.49, 0],
  [-1.04, 6.09, 1],
  [0.75, 3.67, 0],
  [0.94, 5.46, 0],
  [-1.95, 5.23, 0],
  [-1.3, 5.44, 0],
  [0.13, 6.74, 0],
  [-0.32, 5.45, 0],
  [-0.02, 6.36, 1],
  [-0.85, 5.14, 1],
  [0.88, 5.58, 1],
  [0.78, 6.26, 0],
  [0.07, 2.09, 1],
  [1.13, 4.36, 0],
  [0.47, 4.06, 1],
  [-0.86, 3.72, 1],
  [0.37, 4.45, 1],
  [-0.96, 7.99, 0],
  [0.88, 3.27, 0],
  [-0.05, 6.94, 1],
  [-0.18, 1.63, 0],
  [-0.68, 4.33, 0],
  [1.22, 5.33, 0],
  [-0.15, 6.17, 0],
  [-0.43, 6.42, 0],
  [-0.35, 6.59, 0],
  [0.53, 4.3, 1],
  [0.37, 4.08, 1],
  [0.41, 6.72, 1],
  [0.43, 4.62, 0],
  [2.14, 2.45, 1],
  [-0.41, 2.73, 0],
  [-0.51, 3.16, 0],
  [-0.81, 5.99, 0],
  [0.62, 5.28, 0],
  [1.13, 6.38, 1],
  [-0.11, 4.15, 0],
  [-0.84, 5.32, 1],
  [-0.82, 6.25, 0],
  [0.65, 4.38, 1],
];
const labels = [
  1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1,
  0, 1, 0, 1,
];
const x = matrixFromRows(['a', 'b', 'c'], rows);
const y = Uint8Array.from(labels);
/** statsmodels Logit: [const, a, b, c]. */
const UNPENALISED = [0.41877772709212974, 0.8435029451223629, -0.22515617710481198, 2.1591106795920734];
/** scikit-learn LogisticRegression(C=0.5): penalty ½‖β‖² · 2 on raw coefficients. */
const SKLEARN_C_HALF = [0.6595353837153128, 0.5567723877639205, -0.1912986319334546, 1.0057563710796968];

const params = (m: ReturnType<typeof fitLogistic>) => [m.intercept, ...m.coefficients];

describe('logistic regression', () => {
  it.each([
    ['newton', true],
    ['newton', false],
    ['lbfgs', true],
    ['lbfgs', false],
  ] as const)('matches statsmodels without a penalty (%s, standardize %s)', (solver, standardize) => {
    const m = fitLogistic(x, y, { l2: 0, standardize, solver });
    params(m).forEach((v, k) => expect(v).toBeCloseTo(UNPENALISED[k]!, 5));
    expect(m.converged).toBe(true);
  });

  it.each(['newton', 'lbfgs'] as const)(
    'matches scikit-learn with an L2 penalty on raw units (%s)',
    (solver) => {
      const m = fitLogistic(x, y, { l2: 2, standardize: false, solver });
      params(m).forEach((v, k) => expect(v).toBeCloseTo(SKLEARN_C_HALF[k]!, 5));
    },
  );

  it('penalises standardised coefficients, so rescaling a feature leaves predictions unchanged', () => {
    const scaled = matrixFromRows(
      ['a', 'b', 'c'],
      rows.map(([a, b, c]) => [a! * 1000, b!, c!]),
    );
    const m1 = fitLogistic(x, y, { l2: 5 });
    const m2 = fitLogistic(scaled, y, { l2: 5 });
    expect(m2.coefficients[0]! * 1000).toBeCloseTo(m1.coefficients[0]!, 8);
    const p1 = logisticMargins(m1, x);
    const p2 = logisticMargins(m2, scaled);
    p1.forEach((v, i) => expect(p2[i]).toBeCloseTo(v, 8));
  });

  it('explains a row as coefficient × (value − mean); bias plus contributions is the margin', () => {
    const m = fitLogistic(x, y, { l2: 1 });
    const margins = logisticMargins(m, x);
    for (const i of [0, 7, 30]) {
      const { bias, contributions } = logisticContributions(m, x, i);
      expect(bias + contributions.reduce((s, c) => s + c, 0)).toBeCloseTo(margins[i]!, 12);
      expect(contributions[0]).toBeCloseTo(m.coefficients[0]! * (rows[i]![0]! - m.means[0]!), 12);
    }
  });

  it('imputes missing values with the training mean: zero contribution', () => {
    const m = fitLogistic(x, y, { l2: 1 });
    const withGap = matrixFromRows(['a', 'b', 'c'], [[NaN, 5, 1]]);
    const { contributions } = logisticContributions(m, withGap, 0);
    expect(contributions[0]).toBe(0);
    const filled = matrixFromRows(['a', 'b', 'c'], [[m.means[0]!, 5, 1]]);
    expect(logisticMargins(m, withGap)[0]).toBeCloseTo(logisticMargins(m, filled)[0]!, 12);
  });

  it('rejects a matrix whose columns do not match the model', () => {
    const m = fitLogistic(x, y);
    expect(() => logisticMargins(m, matrixFromRows(['b', 'a', 'c'], [[1, 2, 3]]))).toThrow(/do not match/);
  });
});

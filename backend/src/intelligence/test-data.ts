import { createMatrix, type Matrix } from './matrix';
import { createRng, normal } from './random';
import { sigmoid } from './stats';

/** Generated data sets shared by tests and the bench: deterministic from a seed. */

/** Two features in [−1, 1]; the label is 1 when their signs agree (XOR), which no linear model can rank. */
export function xorData(n: number, seed = 1): { x: Matrix; y: Uint8Array } {
  const rng = createRng(seed);
  const x = createMatrix(n, ['u', 'v']);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng() * 2 - 1;
    const v = rng() * 2 - 1;
    x.values[i] = u;
    x.values[n + i] = v;
    y[i] = u * v > 0 ? 1 : 0;
  }
  return { x, y };
}

/**
 * n × p standard normals, 5% missing in every fifth feature; the label is drawn from a logistic model
 * with a linear part, an interaction, a threshold and a missingness effect, so both model kinds have
 * something to find and trees have more.
 */
export function syntheticData(n: number, p: number, seed = 1): { x: Matrix; y: Uint8Array } {
  const rng = createRng(seed);
  const x = createMatrix(
    n,
    Array.from({ length: p }, (_, j) => `f${j}`),
  );
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) x.values[j * n + i] = j % 5 === 4 && rng() < 0.05 ? NaN : normal(rng);
  }
  const y = new Uint8Array(n);
  const v = (j: number, i: number) => x.values[(j % p) * n + i]!;
  for (let i = 0; i < n; i++) {
    const m =
      0.8 * v(0, i) -
      0.6 * v(1, i) +
      v(2, i) * v(3, i) +
      (v(5, i) > 0.7 ? 1.2 : 0) +
      (Number.isNaN(v(4, i)) ? 1 : 0.3 * v(4, i)) -
      0.5;
    y[i] = rng() < sigmoid(m) ? 1 : 0;
  }
  return { x, y };
}

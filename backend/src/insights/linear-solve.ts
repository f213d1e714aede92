/**
 * Solves A x = b for a small dense square system (row-major A of size n × n) by Gaussian elimination with
 * partial pivoting. The insights' systems are tiny (a Markov chain's channels, a log-rank's groups), so
 * clarity wins over blocking; the inputs are left untouched.
 */
export function solveLinearSystem(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n || b.length !== n) throw new RangeError(`need an ${n}×${n} matrix and ${n} values`);
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  let scale = 0;
  for (let i = 0; i < m.length; i++) scale = Math.max(scale, Math.abs(m[i]!));
  // A pivot this small relative to the matrix is rounding noise: the system is singular.
  const tolerance = scale * n * Number.EPSILON;
  for (let col = 0; col < n; col++) {
    let pivotRow = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r * n + col]!) > Math.abs(m[pivotRow * n + col]!)) pivotRow = r;
    }
    const pivot = m[pivotRow * n + col]!;
    if (!(Math.abs(pivot) > tolerance)) throw new RangeError('the linear system is singular');
    if (pivotRow !== col) {
      for (let k = col; k < n; k++) swap(m, col * n + k, pivotRow * n + k);
      swap(x, col, pivotRow);
    }
    for (let r = col + 1; r < n; r++) {
      const factor = m[r * n + col]! / pivot;
      if (factor === 0) continue;
      for (let k = col + 1; k < n; k++) m[r * n + k]! -= factor * m[col * n + k]!;
      x[r]! -= factor * x[col]!;
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let s = x[row]!;
    for (let k = row + 1; k < n; k++) s -= m[row * n + k]! * x[k]!;
    x[row] = s / m[row * n + row]!;
  }
  return x;
}

function swap(v: Float64Array, i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}

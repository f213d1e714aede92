/**
 * Benjamini–Hochberg false-discovery-rate control for the many comparisons an insights run makes at once
 * (every segment, every channel): without it a few "significant" findings are expected by chance alone.
 */
export interface FdrResult {
  /** BH-adjusted p-values in input order (R `p.adjust(p, "BH")`, statsmodels `fdr_bh`). */
  qValues: Float64Array;
  /** Whether each hypothesis is rejected at the FDR level alpha, in input order. */
  rejected: boolean[];
}

export function benjaminiHochberg(pValues: ArrayLike<number>, alpha = 0.05): FdrResult {
  const m = pValues.length;
  for (let i = 0; i < m; i++) {
    const p = pValues[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i} is ${p}, not in [0, 1]`);
  }
  const order = Uint32Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const qValues = new Float64Array(m);
  // Step up from the largest p: q(i) = min over j ≥ i of p(j)·m/j keeps the q-values monotone in p.
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    running = Math.min(running, (pValues[i]! * m) / rank);
    qValues[i] = running;
  }
  return { qValues, rejected: Array.from(qValues, (q) => q <= alpha) };
}

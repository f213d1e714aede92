/**
 * Gradient histograms: for each feature's bins, the sums of gradient, hessian and row count,
 * interleaved as [g, h, count] so one row's update touches one cache line per feature.
 * offsets[f] is feature f's first bin; feature f owns nBins[f] + 1 bins (the last is missing).
 */
export interface HistogramLayout {
  readonly features: number;
  readonly offsets: Int32Array;
  /** Total bins over all features; a histogram is 3 × totalBins doubles. */
  readonly totalBins: number;
}

export function histogramLayout(nBins: Int32Array): HistogramLayout {
  const offsets = new Int32Array(nBins.length + 1);
  for (let f = 0; f < nBins.length; f++) offsets[f + 1] = offsets[f]! + nBins[f]! + 1;
  return { features: nBins.length, offsets, totalBins: offsets[nBins.length]! };
}

/** Adds rows[start..end) into hist (which the caller has zeroed). */
export function buildHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  bins: Uint8Array,
  grad: Float64Array,
  hess: Float64Array,
  rows: Int32Array,
  start: number,
  end: number,
): void {
  const p = layout.features;
  // Per-feature base offsets premultiplied by 3, so the inner loop is one add and one load per cell.
  const base = new Int32Array(p);
  for (let f = 0; f < p; f++) base[f] = layout.offsets[f]! * 3;
  for (let k = start; k < end; k++) {
    const r = rows[k]!;
    const g = grad[r]!;
    const h = hess[r]!;
    const rowOff = r * p;
    for (let f = 0; f < p; f++) {
      const o = base[f]! + bins[rowOff + f]! * 3;
      hist[o] += g;
      hist[o + 1] += h;
      hist[o + 2] += 1;
    }
  }
}

/** parent −= child: the parent's buffer becomes the sibling's histogram at the cost of one pass over bins. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, layout: HistogramLayout): void {
  const len = layout.totalBins * 3;
  for (let i = 0; i < len; i++) parent[i] -= child[i]!;
}

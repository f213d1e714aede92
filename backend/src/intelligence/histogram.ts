import { type BinnedMatrix } from './binning';

/**
 * Gradient histograms: for each feature's bins, the sums of gradient, hessian and row count,
 * interleaved as [g, h, count]. offsets[f] is feature f's first bin; feature f owns nBins[f] + 1 bins
 * (the last is for missing values). One extra bin at the end absorbs the padding bytes of the last
 * four-feature word, so the inner loop never needs to know how many features a word really holds.
 */
export interface HistogramLayout {
  readonly features: number;
  readonly offsets: Int32Array;
  /** Total bins over all features plus the padding bin; a histogram is 3 × totalBins doubles. */
  readonly totalBins: number;
  /** Per word slot (4 per group): the slot's first histogram cell, i.e. 3 × its first bin. */
  readonly slotBase: Int32Array;
}

export function histogramLayout(nBins: Int32Array): HistogramLayout {
  const p = nBins.length;
  const offsets = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) offsets[f + 1] = offsets[f]! + nBins[f]! + 1;
  const padding = offsets[p]!;
  const groups = (p + 3) >> 2;
  const slotBase = new Int32Array(groups * 4);
  for (let s = 0; s < slotBase.length; s++) slotBase[s] = (s < p ? offsets[s]! : padding) * 3;
  return { features: p, offsets, totalBins: padding + 1, slotBase };
}

/**
 * Adds rows[start..end) into hist (which the caller has zeroed). With rows null the range is the rows
 * themselves (the root of an unsampled tree), which skips the index indirection. ordered is scratch of
 * at least 2 · (end − start) doubles: gradients are gathered once so each group pass reads them in order.
 */
export function buildHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  data: BinnedMatrix,
  grad: Float64Array,
  hess: Float64Array,
  rows: Int32Array | null,
  start: number,
  end: number,
  ordered: Float64Array,
): void {
  const n = data.rows;
  const m = end - start;
  if (rows) {
    for (let k = 0; k < m; k++) {
      const r = rows[start + k]!;
      ordered[2 * k] = grad[r]!;
      ordered[2 * k + 1] = hess[r]!;
    }
  } else {
    for (let k = 0; k < m; k++) {
      ordered[2 * k] = grad[start + k]!;
      ordered[2 * k + 1] = hess[start + k]!;
    }
  }
  const slotBase = layout.slotBase;
  for (let g = 0; g < data.groups; g++) {
    // Two copies of the loop rather than a per-row test: this is the hottest code in training.
    if (rows) accumulateIndexed(hist, slotBase, 4 * g, data.words, g * n, rows, start, m, ordered);
    else accumulateRange(hist, slotBase, 4 * g, data.words, g * n + start, m, ordered);
  }
}

function accumulateIndexed(
  hist: Float64Array,
  slotBase: Int32Array,
  slot: number,
  words: Uint32Array,
  col: number,
  rows: Int32Array,
  start: number,
  m: number,
  gh: Float64Array,
): void {
  const b0 = slotBase[slot]!;
  const b1 = slotBase[slot + 1]!;
  const b2 = slotBase[slot + 2]!;
  const b3 = slotBase[slot + 3]!;
  for (let k = 0; k < m; k++) {
    const w = words[col + rows[start + k]!]!;
    const gv = gh[2 * k]!;
    const hv = gh[2 * k + 1]!;
    let o = b0 + (w & 255) * 3;
    hist[o] = hist[o]! + gv;
    hist[o + 1] = hist[o + 1]! + hv;
    hist[o + 2] = hist[o + 2]! + 1;
    o = b1 + ((w >>> 8) & 255) * 3;
    hist[o] = hist[o]! + gv;
    hist[o + 1] = hist[o + 1]! + hv;
    hist[o + 2] = hist[o + 2]! + 1;
    o = b2 + ((w >>> 16) & 255) * 3;
    hist[o] = hist[o]! + gv;
    hist[o + 1] = hist[o + 1]! + hv;
    hist[o + 2] = hist[o + 2]! + 1;
    o = b3 + (w >>> 24) * 3;
    hist[o] = hist[o]! + gv;
    hist[o + 1] = hist[o + 1]! + hv;
    hist[o + 2] = hist[o + 2]! + 1;
  }
}

function accumulateRange(
  hist: Float64Array,
  slotBase: Int32Array,
  slot: number,
  words: Uint32Array,
  from: number,
  m: number,
  gh: Float64Array,
): void {
  const b0 = slotBase[slot]!;
  const b1 = slotBase[slot + 1]!;
  const b2 = slotBase[slot + 2]!;
  const b3 = slotBase[slot + 3]!;
  for (let k = 0; k < m; k++) {
    const w = words[from + k]!;
    const gv = gh[2 * k]!;
    const hv = gh[2 * k + 1]!;
    let o = b0 + (w & 255) * 3;
    hist[o] = hist[o]! + gv;
    hist[o + 1] = hist[o + 1]! + hv;
    hist[o + 2] = hist[o + 2]! + 1;
    o = b1 + ((w >>> 8) & 255) * 3;
    hist[o] = hist[o]! + gv;
    hist[o + 1] = hist[o + 1]! + hv;
    hist[o + 2] = hist[o + 2]! + 1;
    o = b2 + ((w >>> 16) & 255) * 3;
    hist[o] = hist[o]! + gv;
    hist[o + 1] = hist[o + 1]! + hv;
    hist[o + 2] = hist[o + 2]! + 1;
    o = b3 + (w >>> 24) * 3;
    hist[o] = hist[o]! + gv;
    hist[o + 1] = hist[o + 1]! + hv;
    hist[o + 2] = hist[o + 2]! + 1;
  }
}

/** parent −= child: the parent's buffer becomes the sibling's histogram at the cost of one pass over bins. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, layout: HistogramLayout): void {
  const len = layout.totalBins * 3;
  for (let i = 0; i < len; i++) parent[i] = parent[i]! - child[i]!;
}

import { type Matrix } from './matrix';
import { createRng } from './random';

/**
 * Quantile binning for histogram trees. Feature f has nBins[f] value bins (at most maxBins ≤ 255) and
 * one more bin, index nBins[f], for missing values, so a bin index always fits a byte. Value bin b holds
 * edges[b−1] < x ≤ edges[b]; the last edge is +∞. A split "bin ≤ t" is therefore exactly "x ≤ edges[t]",
 * which lets trained trees score raw values without the bin mapper.
 */
export interface BinMapper {
  readonly edges: readonly Float64Array[];
  readonly nBins: Int32Array;
}

/**
 * Bin indices packed four features to a 32-bit word: word (g · rows + i) holds features 4g..4g+3 of row i,
 * one byte each (little-endian, so bytes[(g · rows + i) · 4 + j] is feature 4g + j). One load then feeds
 * four feature histograms that together fit in L1, which is what makes histogram building fast.
 */
export interface BinnedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly groups: number;
  readonly words: Uint32Array;
  readonly bytes: Uint8Array;
}

export function binAt(data: BinnedMatrix, row: number, feature: number): number {
  return data.bytes[(((feature >> 2) * data.rows + row) << 2) + (feature & 3)]!;
}

/**
 * Quantile edges from a 30k-row sample (over 100 rows per bin at 255 bins) are as good as from all rows,
 * and sorting is most of fitBins' cost.
 */
const SAMPLE_FOR_EDGES = 30_000;

export function fitBins(x: Matrix, maxBins = 255, seed = 7): BinMapper {
  if (maxBins < 2 || maxBins > 255) throw new Error('maxBins must be within 2..255');
  const n = x.rows;
  let sample: Int32Array | null = null;
  if (n > SAMPLE_FOR_EDGES) {
    // Selection sampling: distinct rows, in order, reproducible from the seed.
    const rng = createRng(seed);
    sample = new Int32Array(SAMPLE_FOR_EDGES);
    let m = 0;
    for (let i = 0; i < n && m < SAMPLE_FOR_EDGES; i++)
      if ((n - i) * rng() < SAMPLE_FOR_EDGES - m) sample[m++] = i;
  }
  const edges: Float64Array[] = [];
  const nBins = new Int32Array(x.cols);
  const buf = new Float64Array(sample ? sample.length : n);
  for (let j = 0; j < x.cols; j++) {
    const off = j * n;
    let m = 0;
    const len = sample ? sample.length : n;
    for (let k = 0; k < len; k++) {
      const v = x.values[off + (sample ? sample[k]! : k)]!;
      if (!Number.isNaN(v)) buf[m++] = v;
    }
    const e = featureEdges(buf.subarray(0, m).sort(), maxBins);
    edges.push(e);
    nBins[j] = e.length;
  }
  return { edges, nBins };
}

/** Cut points between distinct values, at most maxBins bins, each holding about the same count. */
function featureEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  // Distinct values and their counts, in place of the sorted copy's prefix (no per-value allocation).
  const counts = new Int32Array(n);
  let d = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (d > 0 && sorted[d - 1] === v) counts[d - 1]!++;
    else {
      sorted[d] = v;
      counts[d++] = 1;
    }
  }
  const out: number[] = [];
  if (d <= maxBins) {
    for (let k = 0; k + 1 < d; k++) out.push(midpoint(sorted[k]!, sorted[k + 1]!));
  } else {
    // Greedy: close a bin once it reaches its share of the rows left; a value that fills a bin on its
    // own (say, zero in a duration) first closes the bin before it, so it is never diluted.
    let remaining = n;
    let inBin = 0;
    for (let k = 0; k < d && out.length < maxBins - 1; k++) {
      if (inBin > 0 && counts[k]! >= remaining / (maxBins - out.length)) {
        out.push(midpoint(sorted[k - 1]!, sorted[k]!));
        remaining -= inBin;
        inBin = 0;
        if (out.length >= maxBins - 1) break;
      }
      inBin += counts[k]!;
      if (k + 1 < d && inBin >= remaining / (maxBins - out.length)) {
        out.push(midpoint(sorted[k]!, sorted[k + 1]!));
        remaining -= inBin;
        inBin = 0;
      }
    }
  }
  out.push(Infinity);
  return Float64Array.from(out);
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // Adjacent floats: the midpoint rounds onto b, which would put b in the lower bin.
  return m >= b ? a : m;
}

/** First bin whose upper edge is ≥ v; NaN goes to the missing bin. */
export function binOf(edges: Float64Array, v: number): number {
  if (Number.isNaN(v)) return edges.length;
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** shared: allocate on a SharedArrayBuffer, so a histogram worker thread can read the bins. */
export function binMatrix(mapper: BinMapper, x: Matrix, shared = false): BinnedMatrix {
  const { rows: n, cols: p } = x;
  if (p !== mapper.nBins.length)
    throw new Error(`bin mapper has ${mapper.nBins.length} features, matrix ${p}`);
  const groups = (p + 3) >> 2;
  const words = shared ? new Uint32Array(new SharedArrayBuffer(groups * n * 4)) : new Uint32Array(groups * n);
  const bytes = new Uint8Array(words.buffer);
  for (let j = 0; j < p; j++) {
    binColumn(mapper.edges[j]!, x.values, j * n, n, bytes, (j >> 2) * n * 4 + (j & 3));
  }
  return { rows: n, cols: p, groups, words, bytes };
}

const GRID = 2048;

/**
 * Bins one column into every 4th byte from dst. A binary search per value costs a chain of ~8 dependent
 * loads; a uniform grid over the edges' range first narrows each value to the few bins its cell spans.
 * Cells are widened by one on each side so rounding in the cell index can never exclude the right bin.
 */
function binColumn(
  edges: Float64Array,
  src: Float64Array,
  from: number,
  n: number,
  out: Uint8Array,
  dst: number,
) {
  const nb = edges.length;
  const lo = edges[0]!;
  const hi = nb > 1 ? edges[nb - 2]! : lo;
  const width = (hi - lo) / GRID;
  if (nb <= 8 || !(width > 0) || !Number.isFinite(width)) {
    for (let i = 0; i < n; i++) out[dst + 4 * i] = binOf(edges, src[from + i]!);
    return;
  }
  const table = new Int32Array(GRID + 1);
  for (let c = 0; c <= GRID; c++) table[c] = binOf(edges, lo + c * width);
  for (let i = 0; i < n; i++) {
    const v = src[from + i]!;
    let bin: number;
    if (v <= lo) bin = 0;
    else if (v > hi) bin = nb - 1;
    else if (v <= hi) {
      const c = ((v - lo) / width) | 0;
      let a = table[c > 0 ? c - 1 : 0]!;
      let b = table[c + 2 <= GRID ? c + 2 : GRID]!;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (v <= edges[mid]!) b = mid;
        else a = mid + 1;
      }
      bin = a;
    } else bin = nb; // NaN
    out[dst + 4 * i] = bin;
  }
}

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

const SAMPLE_FOR_EDGES = 200_000;

export function fitBins(x: Matrix, maxBins = 255, seed = 7): BinMapper {
  if (maxBins < 2 || maxBins > 255) throw new Error('maxBins must be within 2..255');
  const n = x.rows;
  // Edges from a sample past 200k rows: quantiles barely move and sorting stays cheap.
  let sample: Int32Array | null = null;
  if (n > SAMPLE_FOR_EDGES) {
    const rng = createRng(seed);
    sample = new Int32Array(SAMPLE_FOR_EDGES);
    for (let k = 0; k < SAMPLE_FOR_EDGES; k++) sample[k] = Math.floor(rng() * n);
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
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (distinct.length && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const out: number[] = [];
  if (distinct.length <= maxBins) {
    for (let k = 0; k + 1 < distinct.length; k++) out.push(midpoint(distinct[k]!, distinct[k + 1]!));
  } else {
    // Greedy: close a bin once it reaches its share of the rows left, so one heavy value (say, zero)
    // takes a bin alone instead of starving the rest of the range.
    let remaining = sorted.length;
    let inBin = 0;
    for (let k = 0; k + 1 < distinct.length && out.length < maxBins - 1; k++) {
      inBin += counts[k]!;
      const target = remaining / (maxBins - out.length);
      if (inBin >= target) {
        out.push(midpoint(distinct[k]!, distinct[k + 1]!));
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

export function binMatrix(mapper: BinMapper, x: Matrix): BinnedMatrix {
  const { rows: n, cols: p } = x;
  if (p !== mapper.nBins.length)
    throw new Error(`bin mapper has ${mapper.nBins.length} features, matrix ${p}`);
  const groups = (p + 3) >> 2;
  const words = new Uint32Array(groups * n);
  const bytes = new Uint8Array(words.buffer);
  for (let j = 0; j < p; j++) {
    const e = mapper.edges[j]!;
    const off = j * n;
    let dst = (j >> 2) * n * 4 + (j & 3);
    for (let i = 0; i < n; i++, dst += 4) bytes[dst] = binOf(e, x.values[off + i]!);
  }
  return { rows: n, cols: p, groups, words, bytes };
}

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
    const e = featureEdges(sortNumbers(buf.subarray(0, m)), maxBins);
    edges.push(e);
    nBins[j] = e.length;
  }
  return { edges, nBins };
}

/**
 * Ascending in-place sort of numbers without NaN, the same order as TypedArray sort (−0 before +0):
 * an LSD radix sort of the doubles' bits mapped to unsigned integers of the same order (flip the sign
 * bit of positives, every bit of negatives), in six digits of 11 or 10 bits, three from each 32-bit
 * half. About twice as fast as the built-in sort on the sample sizes binning sorts; a digit that is the
 * same in every value (the sign and exponent often are) costs no pass.
 */
export function sortNumbers(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 256) return a.sort();
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  const counts = new Int32Array(6 * 2048);
  for (let i = 0; i < n; i++) {
    let l = words[2 * i]!;
    let h = words[2 * i + 1]!;
    if (h >>> 31) {
      l = ~l >>> 0;
      h = ~h >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    lo[i] = l;
    hi[i] = h;
    counts[l & 2047]!++;
    counts[2048 + ((l >>> 11) & 2047)]!++;
    counts[4096 + (l >>> 22)]!++;
    counts[6144 + (h & 2047)]!++;
    counts[8192 + ((h >>> 11) & 2047)]!++;
    counts[10240 + (h >>> 22)]!++;
  }
  const offsets = new Int32Array(2048);
  for (let d = 0; d < 6; d++) {
    let sum = 0;
    let constant = false;
    for (let b = 0; b < 2048; b++) {
      const c = counts[d * 2048 + b]!;
      if (c === n) constant = true;
      offsets[b] = sum;
      sum += c;
    }
    if (constant) continue;
    radixPass(d < 3 ? lo : hi, (d % 3) * 11, lo, hi, lo2, hi2, offsets);
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    if (h >>> 31) {
      words[2 * i] = l;
      words[2 * i + 1] = h & 0x7fffffff;
    } else {
      words[2 * i] = ~l >>> 0;
      words[2 * i + 1] = ~h >>> 0;
    }
  }
  return a;
}

/** One stable counting-sort pass of (lo, hi) pairs on the 11 bits of key from shift. */
function radixPass(
  key: Uint32Array,
  shift: number,
  lo: Uint32Array,
  hi: Uint32Array,
  loOut: Uint32Array,
  hiOut: Uint32Array,
  offsets: Int32Array,
): void {
  for (let i = 0; i < key.length; i++) {
    const k = offsets[(key[i]! >>> shift) & 2047]!++;
    loOut[k] = lo[i]!;
    hiOut[k] = hi[i]!;
  }
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
 * Bins one column into every 4th byte from dst. A binary search per value costs a chain of ~8 dependent,
 * unpredictable branches; a uniform grid over the edges' range first narrows each value to the few bins
 * its cell spans. start[c + 1] is the bin of cell c's lower end; for a value in cell c, start[c] and
 * start[c + 3] (the cells on either side included, so rounding in the cell index cannot exclude the
 * right bin) bound its bin. A short forward scan from the lower bound finds it, or a binary search
 * where the cells are coarse.
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
  const inv = 1 / width;
  const start = new Int32Array(GRID + 4);
  for (let c = 0; c <= GRID; c++) start[c + 1] = binOf(edges, lo + c * width);
  start[GRID + 2] = start[GRID + 3] = nb - 1;
  for (let i = 0; i < n; i++) {
    const v = src[from + i]!;
    let bin: number;
    if (v <= lo) bin = 0;
    else if (v > hi) bin = nb - 1;
    else if (v <= hi) {
      const c = ((v - lo) * inv) | 0;
      let a = start[c]!;
      let b = start[c + 3]!;
      if (b - a <= 6) {
        while (v > edges[a]!) a++;
      } else {
        while (a < b) {
          const mid = (a + b) >>> 1;
          if (v <= edges[mid]!) b = mid;
          else a = mid + 1;
        }
      }
      bin = a;
    } else bin = nb; // NaN
    out[dst + 4 * i] = bin;
  }
}

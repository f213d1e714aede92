import { binAt, type BinnedMatrix } from './binning';
import { buildHistogram, type HistogramLayout, subtractHistogram } from './histogram';
import { findBestSplit, noSplit, type Split, type SplitParams } from './split-finder';

/**
 * Leaf-wise growth of one tree on binned data: always split the leaf with the largest gain, until
 * maxLeaves. Each leaf owns a contiguous range of a row-index buffer, partitioned stably in place so
 * rows stay in memory order. Of two children only the smaller one's histogram is built from rows; the
 * larger one's is the parent's minus it (histogram subtraction), which roughly halves the work.
 */
export interface GrowParams extends SplitParams {
  maxLeaves: number;
  /** 0 for unlimited. */
  maxDepth: number;
  learningRate: number;
  /** Off only to check that subtraction builds the same tree as building both children. */
  histogramSubtraction: boolean;
}

export interface GrownTree {
  feature: Int32Array;
  bin: Int32Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  gain: Float64Array;
  count: Int32Array;
  /** For each leaf node: its row range in the rows buffer. */
  leaves: { node: number; start: number; end: number }[];
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array;
  split: Split;
}

/** Scratch reused across the trees of one training run: no allocation per tree beyond the tree itself. */
export class TreeGrower {
  private readonly pool: Float64Array[] = [];
  private readonly scratch: Int32Array;
  private readonly ordered: Float64Array;

  constructor(
    private readonly data: BinnedMatrix,
    private readonly layout: HistogramLayout,
    private readonly nBins: Int32Array,
    private readonly params: GrowParams,
  ) {
    this.scratch = new Int32Array(data.rows);
    this.ordered = new Float64Array(2 * data.rows);
  }

  /** Grows on rows[0..count); reorders that part of rows. */
  grow(
    grad: Float64Array,
    hess: Float64Array,
    rows: Int32Array,
    count: number,
    featureMask?: Uint8Array,
  ): GrownTree {
    // rows[0..count) in order 0..n−1: the root can read words sequentially.
    const rootIsAll = count === this.data.rows && rows[0] === 0 && rows[count - 1] === count - 1;
    const { params, layout, nBins } = this;
    const maxNodes = 2 * params.maxLeaves - 1;
    const t: GrownTree = {
      feature: new Int32Array(maxNodes).fill(-1),
      bin: new Int32Array(maxNodes),
      missingLeft: new Uint8Array(maxNodes),
      left: new Int32Array(maxNodes).fill(-1),
      right: new Int32Array(maxNodes).fill(-1),
      value: new Float64Array(maxNodes),
      gain: new Float64Array(maxNodes),
      count: new Int32Array(maxNodes),
      leaves: [],
    };
    let g = 0;
    let h = 0;
    for (let k = 0; k < count; k++) {
      g += grad[rows[k]!]!;
      h += hess[rows[k]!]!;
    }
    const rootHist = this.take();
    buildHistogram(rootHist, layout, this.data, grad, hess, rootIsAll ? null : rows, 0, count, this.ordered);
    let nodes = 1;
    t.value[0] = this.leafValue(g, h);
    t.count[0] = count;
    const root: Leaf = { node: 0, start: 0, end: count, depth: 0, g, h, hist: rootHist, split: noSplit() };
    this.evaluate(root, featureMask);
    const open: Leaf[] = [root];
    const done: Leaf[] = [];

    while (open.length + done.length < params.maxLeaves) {
      let bi = -1;
      for (let i = 0; i < open.length; i++) {
        if (bi < 0 || open[i]!.split.gain > open[bi]!.split.gain) bi = i;
      }
      if (bi < 0 || !(open[bi]!.split.gain > params.minGain)) break;
      const leaf = open[bi]!;
      open.splice(bi, 1);
      const s = leaf.split;
      const mid = this.partition(rows, leaf.start, leaf.end, s.feature, s.bin, s.missingLeft);
      const ln = nodes++;
      const rn = nodes++;
      t.feature[leaf.node] = s.feature;
      t.bin[leaf.node] = s.bin;
      t.missingLeft[leaf.node] = s.missingLeft ? 1 : 0;
      t.left[leaf.node] = ln;
      t.right[leaf.node] = rn;
      t.gain[leaf.node] = s.gain;
      const gl = s.gLeft;
      const hl = s.hLeft;
      const left: Leaf = {
        node: ln,
        start: leaf.start,
        end: mid,
        depth: leaf.depth + 1,
        g: gl,
        h: hl,
        hist: leaf.hist,
        split: noSplit(),
      };
      const right: Leaf = {
        node: rn,
        start: mid,
        end: leaf.end,
        depth: leaf.depth + 1,
        g: leaf.g - gl,
        h: leaf.h - hl,
        hist: leaf.hist,
        split: noSplit(),
      };
      for (const c of [left, right]) {
        t.value[c.node] = this.leafValue(c.g, c.h);
        t.count[c.node] = c.end - c.start;
      }
      const smallerIsLeft = mid - leaf.start <= leaf.end - mid;
      const small = smallerIsLeft ? left : right;
      const large = smallerIsLeft ? right : left;
      small.hist = this.take();
      buildHistogram(small.hist, layout, this.data, grad, hess, rows, small.start, small.end, this.ordered);
      if (params.histogramSubtraction) {
        subtractHistogram(large.hist, small.hist, layout);
      } else {
        large.hist.fill(0);
        buildHistogram(large.hist, layout, this.data, grad, hess, rows, large.start, large.end, this.ordered);
      }
      for (const c of [left, right]) {
        const canSplit = params.maxDepth <= 0 || c.depth < params.maxDepth;
        if (canSplit) this.evaluate(c, featureMask);
        (canSplit && c.split.gain > params.minGain ? open : done).push(c);
        if (!(canSplit && c.split.gain > params.minGain)) this.give(c.hist);
      }
    }
    for (const l of open) this.give(l.hist);
    t.leaves = [...open, ...done].map((l) => ({ node: l.node, start: l.start, end: l.end }));
    return trim(t, nodes);
  }

  private evaluate(leaf: Leaf, featureMask?: Uint8Array): void {
    findBestSplit(
      leaf.hist,
      this.layout,
      this.nBins,
      leaf.g,
      leaf.h,
      leaf.end - leaf.start,
      this.params,
      leaf.split,
      featureMask,
    );
  }

  private leafValue(g: number, h: number): number {
    return (-g / (h + this.params.l2)) * this.params.learningRate;
  }

  /** Stable: left rows keep their order at the front, right rows theirs behind them. */
  private partition(
    rows: Int32Array,
    start: number,
    end: number,
    f: number,
    bin: number,
    missingLeft: boolean,
  ): number {
    const bytes = this.data.bytes;
    // Feature f's byte for row r sits at base + 4r.
    const base = (f >> 2) * this.data.rows * 4 + (f & 3);
    const missingBin = this.nBins[f]!;
    const scratch = this.scratch;
    let l = start;
    let r = 0;
    for (let k = start; k < end; k++) {
      const row = rows[k]!;
      const b = bytes[base + 4 * row]!;
      if (b === missingBin ? missingLeft : b <= bin) rows[l++] = row;
      else scratch[r++] = row;
    }
    rows.set(scratch.subarray(0, r), l);
    return l;
  }

  private take(): Float64Array {
    const h = this.pool.pop();
    if (h) {
      h.fill(0);
      return h;
    }
    return new Float64Array(this.layout.totalBins * 3);
  }

  private give(h: Float64Array): void {
    this.pool.push(h);
  }
}

function trim(t: GrownTree, n: number): GrownTree {
  return {
    feature: t.feature.slice(0, n),
    bin: t.bin.slice(0, n),
    missingLeft: t.missingLeft.slice(0, n),
    left: t.left.slice(0, n),
    right: t.right.slice(0, n),
    value: t.value.slice(0, n),
    gain: t.gain.slice(0, n),
    count: t.count.slice(0, n),
    leaves: t.leaves,
  };
}

import { type BinnedMatrix } from './binning';
import { type HessianPacking, type HistogramLayout } from './histogram';
import { NodeJobs, type NodeToEvaluate } from './parallel-histogram';
import { noSplit, type SplitParams } from './split-finder';

/**
 * Leaf-wise growth of one tree on binned data: always split the leaf with the largest gain, until
 * maxLeaves. Each leaf owns a contiguous range of a row-index buffer, partitioned stably in place so
 * rows stay in memory order; a node's rows therefore stay contiguous after growth, which gives exact
 * node sums for free. Of two children only the smaller one's histogram is built from rows; the larger
 * one's is the parent's minus it (histogram subtraction), which roughly halves the work. Building,
 * subtracting and searching both children's best splits is one job for NodeJobs (on one or two threads).
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
  /** −G/(H+λ) · learning rate from exact sums, for every node. */
  value: Float64Array;
  gain: Float64Array;
  count: Int32Array;
  /** For each leaf node: its row range in the rows buffer. */
  leaves: { node: number; start: number; end: number }[];
}

interface Leaf extends NodeToEvaluate {
  node: number;
  start: number;
  end: number;
  depth: number;
  /** Index of the leaf's histogram in the job runner's list. */
  hist: number;
}

/** Scratch reused across the trees of one training run: no allocation per tree beyond the tree itself. */
export class TreeGrower {
  /** Row indices: each leaf owns a contiguous range. Shared memory when a worker reads it. */
  readonly rows: Int32Array;
  /**
   * Filled by the caller before each tree: row r's gradient at 2r and its count unit plus quantised
   * hessian under the run's packing (see HessianPacking) at 2r + 1. Shared memory when a worker reads it.
   */
  readonly gradients: Float64Array;
  /** Histograms, addressed by index; free ones are listed in pool. */
  private readonly hists: Float64Array[] = [];
  private readonly pool: number[] = [];
  private readonly scratch: Int32Array;
  private readonly goesLeft = new Uint8Array(256);
  private readonly ordered: Float64Array;
  private readonly jobs: NodeJobs;
  private readonly shared: boolean;

  constructor(
    private readonly data: BinnedMatrix,
    layout: HistogramLayout,
    private readonly nBins: Int32Array,
    private readonly params: GrowParams,
    threads = 1,
  ) {
    const n = data.rows;
    const shared = (this.shared = threads > 1);
    const alloc = <T>(make: (buffer: ArrayBufferLike | number) => T, bytes: number, length: number) =>
      shared ? make(new SharedArrayBuffer(bytes)) : make(length);
    this.rows = alloc((b) => new Int32Array(b as number), n * 4, n);
    this.scratch = new Int32Array(n);
    this.ordered = alloc((b) => new Float64Array(b as number), 2 * n * 8, 2 * n);
    this.gradients = alloc((b) => new Float64Array(b as number), 2 * n * 8, 2 * n);
    if (shared) {
      // At most maxLeaves histograms are alive at once, plus the child being built.
      const size = layout.totalBins * 2;
      const block = new SharedArrayBuffer((params.maxLeaves + 1) * size * 8);
      for (let i = 0; i <= params.maxLeaves; i++) {
        this.hists.push(new Float64Array(block, i * size * 8, size));
        this.pool.push(i);
      }
    }
    this.jobs = new NodeJobs(
      data,
      layout,
      nBins,
      params,
      this.rows,
      this.ordered,
      this.gradients,
      this.hists,
      threads,
    );
  }

  /** Stops the worker, if any. */
  close(): void {
    this.jobs.close();
  }

  /** Grows a tree on rows[0, count) from this.gradients (filled by the caller) and the exact hessians. */
  grow(hess: Float64Array, packing: HessianPacking, count: number, featureMask?: Uint8Array): GrownTree {
    const rows = this.rows;
    const gh = this.gradients;
    const { params, jobs } = this;
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
    let pk = 0;
    for (let k = 0; k < count; k++) {
      const r = rows[k]!;
      g += gh[2 * r]!;
      pk += gh[2 * r + 1]!;
    }
    // rows[0..count) in order 0..n−1: the root can read words sequentially.
    const rootIsAll = count === this.data.rows && rows[0] === 0 && rows[count - 1] === count - 1;
    let nodes = 1;
    t.count[0] = count;
    const root: Leaf = {
      node: 0,
      start: 0,
      end: count,
      depth: 0,
      g,
      packed: pk,
      hist: this.take(),
      split: noSplit(),
    };
    if (rootIsAll) jobs.run(root.hist, null, 0, count, -1, [root], packing, featureMask);
    else {
      this.gather(0, count);
      jobs.run(root.hist, rows, 0, count, -1, [root], packing, featureMask);
    }
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
      const depth = leaf.depth + 1;
      const left: Leaf = {
        node: ln,
        start: leaf.start,
        end: mid,
        depth,
        g: s.gLeft,
        packed: s.packedLeft,
        hist: leaf.hist,
        split: noSplit(),
      };
      const right: Leaf = {
        node: rn,
        start: mid,
        end: leaf.end,
        depth,
        g: leaf.g - s.gLeft,
        packed: leaf.packed - s.packedLeft,
        hist: leaf.hist,
        split: noSplit(),
      };
      t.count[ln] = mid - leaf.start;
      t.count[rn] = leaf.end - mid;
      const smallerIsLeft = mid - leaf.start <= leaf.end - mid;
      const small = smallerIsLeft ? left : right;
      const large = smallerIsLeft ? right : left;
      small.hist = this.take();
      const evaluate = [left, right].filter((c) => params.maxDepth <= 0 || c.depth < params.maxDepth);
      this.gather(small.start, small.end);
      if (params.histogramSubtraction) {
        // The parent's histogram minus the smaller child's is the larger child's.
        jobs.run(
          small.hist,
          rows,
          small.start,
          small.end - small.start,
          large.hist,
          evaluate,
          packing,
          featureMask,
        );
      } else {
        jobs.run(small.hist, rows, small.start, small.end - small.start, -1, [], packing, featureMask);
        this.gather(large.start, large.end);
        jobs.run(large.hist, rows, large.start, large.end - large.start, -1, evaluate, packing, featureMask);
      }
      for (const c of [left, right]) {
        if (c.split.gain > params.minGain) open.push(c);
        else {
          done.push(c);
          this.give(c.hist);
        }
      }
    }
    for (const l of open) this.give(l.hist);
    t.leaves = [...open, ...done].map((l) => ({ node: l.node, start: l.start, end: l.end }));
    this.exactValues(t, nodes, gh, hess, rows);
    return trim(t, nodes);
  }

  /**
   * Node values from exact gradient and hessian sums: leaves from their row ranges, inner nodes as
   * the sum of their children (children always have larger indices than their parent).
   */
  private exactValues(t: GrownTree, nodes: number, gh: Float64Array, hess: Float64Array, rows: Int32Array) {
    const gs = new Float64Array(nodes);
    const hs = new Float64Array(nodes);
    for (const leaf of t.leaves) {
      let g = 0;
      let h = 0;
      for (let k = leaf.start; k < leaf.end; k++) {
        const r = rows[k]!;
        g += gh[2 * r]!;
        h += hess[r]!;
      }
      gs[leaf.node] = g;
      hs[leaf.node] = h;
    }
    const { l2, learningRate } = this.params;
    for (let i = nodes - 1; i >= 0; i--) {
      if (t.left[i]! >= 0) {
        gs[i] = gs[t.left[i]!]! + gs[t.right[i]!]!;
        hs[i] = hs[t.left[i]!]! + hs[t.right[i]!]!;
      }
      t.value[i] = (-gs[i]! / (hs[i]! + l2)) * learningRate;
    }
  }

  /** Gathers rows[start, end)'s gradient pairs into ordered, in row order. */
  private gather(start: number, end: number) {
    const { ordered, rows, gradients: gh } = this;
    for (let k = 0, o = 0; k < end - start; k++, o += 2) {
      const r = 2 * rows[start + k]!;
      ordered[o] = gh[r]!;
      ordered[o + 1] = gh[r + 1]!;
    }
  }

  /**
   * Stable: left rows keep their order at the front, right rows theirs behind them. Branch-free: a
   * 256-entry table says which side each bin goes to, and every row is written to both buffers with
   * only the matching cursor advancing (a data-dependent branch mispredicts on half the rows).
   */
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
    const goesLeft = this.goesLeft;
    for (let b = 0; b < 256; b++) goesLeft[b] = (b === missingBin ? missingLeft : b <= bin) ? 1 : 0;
    const scratch = this.scratch;
    let l = start;
    let r = 0;
    for (let k = start; k < end; k++) {
      const row = rows[k]!;
      const left = goesLeft[bytes[base + 4 * row]!]!;
      rows[l] = row;
      scratch[r] = row;
      l += left;
      r += left ^ 1;
    }
    rows.set(scratch.subarray(0, r), l);
    return l;
  }

  /** A free histogram's index; its contents are stale (a job zeroes what it builds). */
  private take(): number {
    const h = this.pool.pop();
    if (h !== undefined) return h;
    if (this.shared) throw new Error('histogram pool exhausted');
    this.hists.push(new Float64Array(this.hists[0]?.length ?? this.jobs.ctx.unitCells.at(-1)!));
    return this.hists.length - 1;
  }

  private give(h: number): void {
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

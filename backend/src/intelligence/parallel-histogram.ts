import { Worker } from 'node:worker_threads';
import { type BinnedMatrix } from './binning';
import {
  accumulateIndexed,
  accumulateIndexed2,
  accumulateRange,
  accumulateRange2,
  accumulateUnit,
  type HessianPacking,
  histogramUnits,
  type HistogramLayout,
} from './histogram';
import { findBestSplit, noSplit, record, type Split, type SplitParams } from './split-finder';

/**
 * The per-node work of tree growth, histograms and split search, as one job cut into units: unit u is
 * features 8u..8u+7 (two four-feature groups, see histogramUnits). For its features a unit zeroes the
 * node's histogram, sums the node's rows into it, subtracts it from the parent's (which leaves the
 * sibling's histogram there) and searches the best split of each node to evaluate; the job's result
 * per node is the first best of the units' results, in unit order, which is exactly the best split
 * over all features. Working unit by unit also keeps each unit's histograms in cache from summing to
 * searching.
 *
 * With two threads, the main thread and one worker claim units from a shared counter one at a time, so
 * a worker that wakes late, or is descheduled on a busy machine, simply gets fewer units and never
 * holds the main thread up by more than the unit it is on. Bins, row indices, gathered gradients,
 * histograms and results live in shared memory; training stays synchronous. Each unit is computed by
 * one thread in row order, so results are bit-identical to the single-threaded run. The claim counter
 * carries the job's sequence number in its high bits: a worker still looking at an old job sees a
 * foreign tag and cannot claim (or count) a unit of the next one. A sleeping worker is woken only
 * when its share of the job outweighs the measured cost of waking it: since nobody waits for units
 * nobody claimed, a worker that sleeps through a job costs nothing.
 */
const SEQ = 0;
const NEXT = 1;
const FINISHED = 2;
const BUILD = 3;
const INDEXED = 4;
const START = 5;
const COUNT = 6;
const PARENT = 7;
const EVALS = 8;
const EVAL0 = 9;
const MASKED = 11;
/** 1 while the worker sleeps (or is about to) in Atomics.wait: only then does a new job need a notify. */
const SLEEPING = 12;
const CONTROL_INTS = 13;
/** jobF: [g, packed] per node to evaluate, then the hessian packing. */
const PACKING = 4;
const RESULT_SIZE = 6;
const STOP = -1;

const UNIT_BITS = 12;
const UNIT_MASK = (1 << UNIT_BITS) - 1;
/** Tags stay below 2^19, so a tagged counter is a positive int32. */
const TAG_MASK = (1 << (31 - UNIT_BITS)) - 1;

/** Jobs with less work than this many cells (rows × features) stay on the main thread. */
const MIN_PARALLEL_CELLS = 100_000;
/** Rough cost of one histogram cell (or its share of a split search) on one thread. */
const CELL_MS = 2e-6;

/** What runUnit reads: plain arrays and numbers, and the two kernels (the worker passes its own copies). */
export interface UnitContext {
  ctrl: Int32Array;
  jobF: Float64Array;
  results: Float64Array;
  hists: Float64Array[];
  words: Uint32Array;
  n: number;
  groups: number;
  units: number;
  rows: Int32Array;
  /** Gradient pairs of an indexed job's rows, gathered in row order. */
  ordered: Float64Array;
  /** Gradient pairs of all rows (see TreeGrower.gradients), read directly by a job without row indices. */
  gradients: Float64Array;
  slotBase: Int32Array;
  /** Histogram cells [unitCells[u], unitCells[u + 1]) belong to unit u. */
  unitCells: Int32Array;
  layout: Pick<HistogramLayout, 'features' | 'offsets'>;
  nBins: Int32Array;
  mask: Uint8Array;
  packing: HessianPacking;
  params: SplitParams;
  split: Split;
  accumulateUnit: typeof accumulateUnit;
  findBestSplit: typeof findBestSplit;
}

/**
 * One unit of the job described in ctx.ctrl. No closures or imports, and literal control indices
 * (BUILD = 3 … MASKED = 11) and result size (6): the worker runs this function as source.
 */
export function runUnit(ctx: UnitContext, u: number): void {
  const c = ctx.ctrl;
  const hist = ctx.hists[c[3]!]!;
  const lo = ctx.unitCells[u]!;
  const hi = ctx.unitCells[u + 1]!;
  hist.fill(0, lo, hi);
  const rows = c[4] === 1 ? ctx.rows : null;
  const gh = rows ? ctx.ordered : ctx.gradients;
  ctx.accumulateUnit(hist, ctx.slotBase, ctx.words, ctx.n, ctx.groups, rows, c[5]!, c[6]!, gh, u);
  if (c[7]! >= 0) {
    const parent = ctx.hists[c[7]!]!;
    for (let i = lo; i < hi; i++) parent[i] = parent[i]! - hist[i]!;
  }
  const evals = c[8]!;
  const from = 8 * u;
  const to = Math.min(from + 8, ctx.layout.features);
  const s = ctx.split;
  for (let k = 0; k < evals; k++) {
    const h = ctx.hists[c[9 + k]!]!;
    const { jobF } = ctx;
    ctx.findBestSplit(
      h,
      ctx.layout,
      ctx.nBins,
      jobF[2 * k]!,
      jobF[2 * k + 1]!,
      ctx.packing,
      ctx.params,
      s,
      c[11] === 1 ? ctx.mask : undefined,
      from,
      to,
    );
    const o = (k * ctx.units + u) * 6;
    const r = ctx.results;
    r[o] = s.gain;
    r[o + 1] = s.feature;
    r[o + 2] = s.bin;
    r[o + 3] = s.missingLeft ? 1 : 0;
    r[o + 4] = s.gLeft;
    r[o + 5] = s.packedLeft;
  }
}

/**
 * Claims the next unit of the job tagged tag, or returns −1 when none is left (or the job is over).
 * Literals, not the constants above (NEXT, UNIT_BITS, UNIT_MASK): the worker gets this function as source.
 */
export function claimUnit(ctrl: Int32Array, tag: number, units: number): number {
  for (;;) {
    const cur = Atomics.load(ctrl, 1);
    if (cur >>> 12 !== tag) return -1;
    const u = cur & 4095;
    if (u >= units) return -1;
    if (Atomics.compareExchange(ctrl, 1, cur, cur + 1) === cur) return u;
  }
}

/** A node to search for its best split: its histogram, sums and where the result goes. */
export interface NodeToEvaluate {
  hist: number;
  g: number;
  packed: number;
  split: Split;
}

export class NodeJobs {
  readonly ctx: UnitContext;
  private readonly worker: Worker | null = null;
  private seq = 0;
  /** Moving average of the time a notify to the sleeping worker takes. */
  private wakeMs = 0;

  /**
   * hists: the histograms jobs refer to by index; with threads = 2 every array handed over must live
   * on a SharedArrayBuffer, and hists must be complete (the worker sees the list as it is now).
   */
  constructor(
    data: BinnedMatrix,
    layout: HistogramLayout,
    nBins: Int32Array,
    params: SplitParams,
    rows: Int32Array,
    ordered: Float64Array,
    gradients: Float64Array,
    hists: Float64Array[],
    threads: number,
  ) {
    const units = histogramUnits(data.groups);
    const shared = threads > 1 && units >= 2 && units <= UNIT_MASK;
    const alloc = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const unitCells = new Int32Array(units + 1);
    for (let u = 0; u < units; u++) unitCells[u] = layout.slotBase[8 * u]!;
    unitCells[units] = layout.totalBins * 2;
    this.ctx = {
      ctrl: new Int32Array(alloc(CONTROL_INTS * 4)),
      jobF: new Float64Array(alloc((PACKING + 3) * 8)),
      results: new Float64Array(alloc(2 * units * RESULT_SIZE * 8)),
      hists,
      words: data.words,
      n: data.rows,
      groups: data.groups,
      units,
      rows,
      ordered,
      gradients,
      slotBase: layout.slotBase,
      unitCells,
      layout: { features: layout.features, offsets: layout.offsets },
      nBins,
      mask: new Uint8Array(alloc(layout.features)),
      packing: { countUnit: 1, invCountUnit: 1, hessianUnit: 1 },
      params: {
        l2: params.l2,
        minSamplesLeaf: params.minSamplesLeaf,
        minHessianLeaf: params.minHessianLeaf,
        minGain: params.minGain,
      },
      split: noSplit(),
      accumulateUnit,
      findBestSplit,
    };
    if (!shared) return;
    const c = this.ctx;
    for (const a of [c.words, rows, ordered, gradients, ...hists]) {
      if (!(a.buffer instanceof SharedArrayBuffer)) throw new Error('parallel jobs need shared buffers');
    }
    const { accumulateUnit: _a, findBestSplit: _f, split: _s, ...plain } = c;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: plain });
    this.worker.unref();
  }

  /**
   * Builds histogram `build` from rows[start, start + m), whose gradient pairs the caller has gathered
   * into ordered, or with rows null from rows 0..m − 1 themselves and their pairs in gradients (start
   * must then be 0); subtracts it from histogram `parent` if that is ≥ 0; then searches the best split
   * of each node in evaluate (whose histograms must be ready once this job's are: `build` itself, or
   * `parent` after subtraction).
   */
  run(
    build: number,
    rows: Int32Array | null,
    start: number,
    m: number,
    parent: number,
    evaluate: readonly NodeToEvaluate[],
    packing: HessianPacking,
    featureMask: Uint8Array | undefined,
  ): void {
    const { ctx } = this;
    const { ctrl: c, jobF, units } = ctx;
    if (rows !== null && rows !== ctx.rows) throw new Error('jobs index the shared rows buffer');
    if (rows === null && start !== 0) throw new Error('a job without row indices starts at row 0');
    c[BUILD] = build;
    c[INDEXED] = rows ? 1 : 0;
    c[START] = start;
    c[COUNT] = m;
    c[PARENT] = parent;
    c[EVALS] = evaluate.length;
    evaluate.forEach((e, k) => {
      c[EVAL0 + k] = e.hist;
      jobF[2 * k] = e.g;
      jobF[2 * k + 1] = e.packed;
    });
    c[MASKED] = featureMask ? 1 : 0;
    if (featureMask) ctx.mask.set(featureMask);
    jobF[PACKING] = packing.countUnit;
    jobF[PACKING + 1] = packing.invCountUnit;
    jobF[PACKING + 2] = packing.hessianUnit;
    ctx.packing = packing;

    // A split search costs about as much as summing 2,000 rows.
    const cells = (m + 2000 * evaluate.length) * ctx.layout.features;
    if (!this.worker || cells < MIN_PARALLEL_CELLS) {
      for (let u = 0; u < units; u++) runUnit(ctx, u);
    } else {
      Atomics.store(c, FINISHED, 0);
      const seq = (this.seq = (this.seq + 1) & TAG_MASK);
      Atomics.store(c, NEXT, seq << UNIT_BITS);
      Atomics.store(c, SEQ, seq);
      // Correctness never depends on the worker: the main thread only waits for units it claimed.
      // Waking it pays when the half of the job it can take costs more than the wake-up, which is
      // microseconds on an idle machine but up to a millisecond on a busy one (the woken thread can
      // preempt this one right at the notify), so the cost is measured as training goes.
      if (Atomics.load(c, SLEEPING) === 1 && cells * CELL_MS > 4 * this.wakeMs) {
        const t0 = performance.now();
        Atomics.notify(c, SEQ);
        this.wakeMs = 0.8 * this.wakeMs + 0.2 * (performance.now() - t0);
      }
      let mine = 0;
      for (let u = claimUnit(c, seq, units); u >= 0; u = claimUnit(c, seq, units)) {
        runUnit(ctx, u);
        mine++;
      }
      // The units the worker claimed: wait for the ones it has not finished yet.
      // (No polling on either side: the two CPUs may be hyperthreads of one core, where a polling
      // thread slows the other down.)
      for (;;) {
        const done = Atomics.load(c, FINISHED);
        if (done >= units - mine) break;
        Atomics.wait(c, FINISHED, done, 1000);
      }
    }
    const r = ctx.results;
    evaluate.forEach((e, k) => {
      const out = e.split;
      out.gain = -Infinity;
      out.feature = -1;
      for (let u = 0; u < units; u++) {
        const o = (k * units + u) * RESULT_SIZE;
        if (r[o + 1]! >= 0 && r[o]! > out.gain) {
          record(out, r[o]!, r[o + 1]!, r[o + 2]!, r[o + 3] === 1, r[o + 4]!, r[o + 5]!);
        }
      }
    });
  }

  /** Stops the worker, if any. */
  close(): void {
    if (!this.worker) return;
    const c = this.ctx.ctrl;
    Atomics.store(c, BUILD, STOP);
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, SEQ, (this.seq = (this.seq + 1) & TAG_MASK));
    Atomics.notify(c, SEQ);
    void this.worker.terminate();
  }
}

// The worker runs the very same functions, passed as source (they use no closures or imports).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${accumulateIndexed.toString()}
${accumulateRange.toString()}
${accumulateIndexed2.toString()}
${accumulateRange2.toString()}
${accumulateUnit.toString()}
${record.toString()}
${findBestSplit.toString()}
${runUnit.toString()}
${claimUnit.toString()}
const ctx = {
  ...workerData,
  packing: { countUnit: 1, invCountUnit: 1, hessianUnit: 1 },
  split: { gain: -Infinity, feature: -1, bin: -1, missingLeft: false, gLeft: 0, packedLeft: 0 },
  accumulateUnit,
  findBestSplit,
};
const { ctrl, jobF, units } = ctx;
let seen = 0;
for (;;) {
  // Flag, then sleep unless the job changed: either the wait sees the new job or the main thread
  // sees the flag (and may notify).
  Atomics.store(ctrl, ${SLEEPING}, 1);
  Atomics.wait(ctrl, ${SEQ}, seen);
  Atomics.store(ctrl, ${SLEEPING}, 0);
  seen = Atomics.load(ctrl, ${SEQ});
  if (ctrl[${BUILD}] === ${STOP}) break;
  ctx.packing = { countUnit: jobF[${PACKING}], invCountUnit: jobF[${PACKING + 1}], hessianUnit: jobF[${PACKING + 2}] };
  for (let u = claimUnit(ctrl, seen, units); u >= 0; u = claimUnit(ctrl, seen, units)) {
    runUnit(ctx, u);
    Atomics.add(ctrl, ${FINISHED}, 1);
    Atomics.notify(ctrl, ${FINISHED});
  }
}
`;

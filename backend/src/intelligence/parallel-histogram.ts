import { Worker } from 'node:worker_threads';
import { type BinnedMatrix } from './binning';
import { accumulateGroups, accumulateIndexed, accumulateRange, type HistogramLayout } from './histogram';

/**
 * Builds histograms on two threads: the main thread and one worker each take half of the four-feature
 * groups of the same node. Bins, row indices, gathered gradients and histograms live in shared memory;
 * a job is announced and acknowledged through Atomics on a small control block, so training stays
 * synchronous. Each group is summed by one thread in row order, so results are bit-identical to the
 * single-threaded build.
 */
const SEQ = 0;
const HIST = 1;
const INDEXED = 2;
const START = 3;
const COUNT = 4;
const FROM = 5;
const TO = 6;
const DONE = 7;
const STOP = -1;

/** Nodes smaller than this are built on the main thread alone: a hand-off costs tens of microseconds. */
const MIN_ROWS = 4096;

export class ParallelHistogramBuilder {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(8 * 4));
  private readonly worker: Worker;
  private seq = 0;
  private readonly split: number;

  constructor(
    private readonly data: BinnedMatrix,
    private readonly layout: HistogramLayout,
    private readonly rows: Int32Array,
    private readonly ordered: Float64Array,
    private readonly histograms: readonly Float64Array[],
  ) {
    for (const a of [data.words, rows, ordered, ...histograms]) {
      if (!(a.buffer instanceof SharedArrayBuffer))
        throw new Error('parallel histograms need shared buffers');
    }
    this.split = data.groups >> 1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        ctrl: this.ctrl,
        words: data.words,
        rows,
        ordered,
        histograms,
        slotBase: layout.slotBase,
        n: data.rows,
      },
    });
    this.worker.unref();
  }

  /** Sums rows[start, start + m) (or rows start.. directly when rows is null) into histograms[index]. */
  build(index: number, indexed: boolean, start: number, m: number): void {
    const hist = this.histograms[index]!;
    const rows = indexed ? this.rows : null;
    if (m < MIN_ROWS || this.split === 0) {
      accumulateGroups(hist, this.layout, this.data, rows, start, m, this.ordered, 0, this.data.groups);
      return;
    }
    const c = this.ctrl;
    c[HIST] = index;
    c[INDEXED] = indexed ? 1 : 0;
    c[START] = start;
    c[COUNT] = m;
    c[FROM] = this.split;
    c[TO] = this.data.groups;
    const seq = ++this.seq;
    Atomics.store(c, SEQ, seq);
    Atomics.notify(c, SEQ);
    accumulateGroups(hist, this.layout, this.data, rows, start, m, this.ordered, 0, this.split);
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done === seq) break;
      Atomics.wait(c, DONE, done, 1000);
    }
  }

  close(): void {
    Atomics.store(this.ctrl, HIST, STOP);
    Atomics.store(this.ctrl, SEQ, ++this.seq);
    Atomics.notify(this.ctrl, SEQ);
    void this.worker.terminate();
  }
}

// The worker runs the very same accumulation functions, passed as source (they use no closures).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${accumulateIndexed.toString()}
${accumulateRange.toString()}
const { ctrl, words, rows, ordered, histograms, slotBase, n } = workerData;
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, ${SEQ}, seen);
  seen = Atomics.load(ctrl, ${SEQ});
  const index = ctrl[${HIST}];
  if (index === ${STOP}) break;
  const hist = histograms[index];
  const indexed = ctrl[${INDEXED}] === 1;
  const start = ctrl[${START}];
  const m = ctrl[${COUNT}];
  for (let g = ctrl[${FROM}]; g < ctrl[${TO}]; g++) {
    if (indexed) accumulateIndexed(hist, slotBase, 4 * g, words, g * n, rows, start, m, ordered);
    else accumulateRange(hist, slotBase, 4 * g, words, g * n + start, m, ordered);
  }
  Atomics.store(ctrl, ${DONE}, seen);
  Atomics.notify(ctrl, ${DONE});
}
`;

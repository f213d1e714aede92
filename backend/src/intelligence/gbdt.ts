import { availableParallelism } from 'node:os';
import { binAt, type BinMapper, type BinnedMatrix, binMatrix, fitBins } from './binning';
import { hessianPacking, histogramLayout } from './histogram';
import { type Matrix } from './matrix';
import { createRng } from './random';
import { softplus } from './stats';
import { type Tree } from './tree';
import { type GrownTree, TreeGrower } from './tree-grower';

/**
 * Histogram gradient-boosted trees for binary log-loss (LightGBM-style: quantile bins, leaf-wise growth,
 * histogram subtraction). Trees are returned with raw thresholds so scoring needs no bin mapper.
 */
export interface GbdtOptions {
  numTrees: number;
  learningRate: number;
  maxLeaves: number;
  /** 0 for unlimited: leaf-wise growth is bounded by maxLeaves anyway. */
  maxDepth: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  /** L2 penalty on leaf values (λ in −G/(H+λ)). */
  l2: number;
  minGain: number;
  maxBins: number;
  /** Fraction of rows drawn (without replacement) for each tree; 1 uses all. */
  subsample: number;
  /** Fraction of features each tree may split on; 1 uses all. */
  colsample: number;
  /** Stop when validation log-loss has not improved for this many trees (needs a validation set). */
  earlyStoppingRounds: number;
  histogramSubtraction: boolean;
  trackTrainLoss: boolean;
  /**
   * 2 builds histograms and searches splits on the main thread and one worker (same trees, bit for
   * bit). 'auto' uses two from a million rows × features on a machine with two CPUs or more; below
   * that, the worker's start-up and hand-offs cost more than they save.
   */
  threads: 'auto' | 1 | 2;
  seed: number;
}

export const GBDT_DEFAULTS: GbdtOptions = {
  numTrees: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: 0,
  minSamplesLeaf: 20,
  minHessianLeaf: 1e-3,
  l2: 1,
  minGain: 0,
  maxBins: 255,
  subsample: 1,
  colsample: 1,
  earlyStoppingRounds: 20,
  histogramSubtraction: true,
  trackTrainLoss: false,
  threads: 'auto',
  seed: 1,
};

export interface GbdtModel {
  readonly kind: 'gbdt';
  readonly names: readonly string[];
  /** Log-odds of the training base rate: every tree adds to it. */
  readonly baseScore: number;
  readonly trees: readonly Tree[];
}

export interface GbdtTraining {
  model: GbdtModel;
  /** Trees kept (the best validation iteration when early stopping ran). */
  bestIteration: number;
  stoppedEarly: boolean;
  /** Mean training log-loss per tree; only with options.trackTrainLoss (it costs a pass per tree). */
  trainLoss: number[];
  validationLoss: number[];
  binSeconds: number;
}

export interface LabelledMatrix {
  x: Matrix;
  y: Uint8Array;
}

export function fitGbdt(
  x: Matrix,
  y: Uint8Array,
  options: Partial<GbdtOptions> = {},
  validation?: LabelledMatrix,
): GbdtTraining {
  const o = { ...GBDT_DEFAULTS, ...options };
  const n = x.rows;
  if (y.length !== n) throw new Error(`${n} rows but ${y.length} labels`);
  const t0 = performance.now();
  const mapper = fitBins(x, o.maxBins, o.seed);
  const threads =
    o.threads === 'auto' ? (n * x.cols >= 1_000_000 && availableParallelism() >= 2 ? 2 : 1) : o.threads;
  const data = binMatrix(mapper, x, threads > 1);
  const valData = validation ? binMatrix(mapper, validation.x) : null;
  const binSeconds = (performance.now() - t0) / 1000;

  const layout = histogramLayout(mapper.nBins);
  const grower = new TreeGrower(data, layout, mapper.nBins, o, threads);
  try {
    return boost(o, x, y, validation, mapper, data, valData, grower, binSeconds);
  } finally {
    grower.close();
  }
}

function boost(
  o: GbdtOptions,
  x: Matrix,
  y: Uint8Array,
  validation: LabelledMatrix | undefined,
  mapper: BinMapper,
  data: BinnedMatrix,
  valData: BinnedMatrix | null,
  grower: TreeGrower,
  binSeconds: number,
): GbdtTraining {
  const n = x.rows;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const baseScore = Math.log((positives + 0.5) / (n - positives + 0.5));

  const margin = new Float64Array(n).fill(baseScore);
  const valMargin = validation ? new Float64Array(validation.y.length).fill(baseScore) : null;
  // Row i's gradient and packed count-and-hessian side by side (gh[2i], gh[2i + 1]): gathering a node's
  // rows then reads one cache line per row, and the root of an unsampled tree reads gh as it is.
  const gh = grower.gradients;
  const hess = new Float64Array(n);
  // Log-loss hessians p(1 − p) never exceed 1/4, which fixes the quantisation for the whole run.
  const packing = hessianPacking(n, 0.25);
  const countUnit = packing.countUnit;
  const perQuantum = 1 / packing.hessianUnit;
  const rows = grower.rows;
  const rng = createRng(o.seed);
  const featureMask = o.colsample < 1 ? new Uint8Array(x.cols) : undefined;
  const trees: Tree[] = [];
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = Infinity;
  let bestIteration = 0;
  let stoppedEarly = false;

  for (let it = 0; it < o.numTrees; it++) {
    for (let i = 0; i < n; i++) {
      // exp overflow to ∞ gives p = 0 exactly, so the plain form is safe here.
      const p = 1 / (1 + Math.exp(-margin[i]!));
      gh[2 * i] = p - y[i]!;
      // A floor keeps −G/(H+λ) finite when λ is 0 and a leaf is already pure. (Plain comparisons and
      // floor(x + 0.5) rather than Math.max and Math.round: twice as fast in this loop.)
      let h = p * (1 - p);
      if (!(h >= 1e-16)) h = 1e-16;
      hess[i] = h;
      gh[2 * i + 1] = countUnit + Math.floor(h * perQuantum + 0.5);
    }
    const count = o.subsample < 1 ? sampleRows(rows, n, o.subsample, rng) : fillAll(rows, n);
    if (featureMask) sampleFeatures(featureMask, o.colsample, rng);
    const grown = grower.grow(hess, packing, count, featureMask);
    const tree = toTree(grown, mapper.edges);
    trees.push(tree);
    if (count === n) {
      for (const leaf of grown.leaves) {
        const v = grown.value[leaf.node]!;
        for (let k = leaf.start; k < leaf.end; k++) {
          const r = rows[k]!;
          margin[r] = margin[r]! + v;
        }
      }
    } else {
      addBinnedTree(grown, data, mapper.nBins, margin);
    }
    if (o.trackTrainLoss) trainLoss.push(meanLogLoss(margin, y));
    if (validation && valMargin && valData) {
      addBinnedTree(grown, valData, mapper.nBins, valMargin);
      const loss = meanLogLoss(valMargin, validation.y);
      validationLoss.push(loss);
      if (loss < best - 1e-12) {
        best = loss;
        bestIteration = it + 1;
      } else if (o.earlyStoppingRounds > 0 && it + 1 - bestIteration >= o.earlyStoppingRounds) {
        stoppedEarly = true;
        break;
      }
    } else {
      bestIteration = it + 1;
    }
  }
  return {
    model: { kind: 'gbdt', names: [...x.names], baseScore, trees: trees.slice(0, bestIteration) },
    bestIteration,
    stoppedEarly,
    trainLoss,
    validationLoss,
    binSeconds,
  };
}

function fillAll(rows: Int32Array, n: number): number {
  for (let i = 0; i < n; i++) rows[i] = i;
  return n;
}

/** Selection sampling (Knuth's algorithm S): an exact-size sample that comes out in row order. */
function sampleRows(rows: Int32Array, n: number, fraction: number, rng: () => number): number {
  const want = Math.max(1, Math.round(n * fraction));
  let m = 0;
  for (let i = 0; i < n && m < want; i++) {
    if ((n - i) * rng() < want - m) rows[m++] = i;
  }
  return m;
}

function sampleFeatures(mask: Uint8Array, fraction: number, rng: () => number): void {
  const p = mask.length;
  const want = Math.max(1, Math.round(p * fraction));
  let m = 0;
  for (let f = 0; f < p; f++) {
    const take = (p - f) * rng() < want - m;
    mask[f] = take ? 1 : 0;
    if (take) m++;
  }
}

function toTree(g: GrownTree, edges: readonly Float64Array[]): Tree {
  const threshold = new Float64Array(g.feature.length);
  for (let i = 0; i < g.feature.length; i++) {
    const edge = g.left[i]! >= 0 ? edges[g.feature[i]!]![g.bin[i]!]! : 0;
    // "All values left, missing right" cuts at the +∞ edge; MAX_VALUE routes every finite value the same
    // way and survives JSON, which has no infinity.
    threshold[i] = edge === Infinity ? Number.MAX_VALUE : edge;
  }
  return {
    feature: g.feature,
    threshold,
    missingLeft: g.missingLeft,
    left: g.left,
    right: g.right,
    value: g.value,
    gain: g.gain,
    count: g.count,
  };
}

/** Adds one tree's output to margins by walking binned rows: same routing as raw thresholds, cheaper. */
function addBinnedTree(g: GrownTree, data: BinnedMatrix, nBins: Int32Array, margin: Float64Array): void {
  for (let i = 0; i < data.rows; i++) {
    let node = 0;
    while (g.left[node]! >= 0) {
      const f = g.feature[node]!;
      const b = binAt(data, i, f);
      const goLeft = b === nBins[f] ? g.missingLeft[node] === 1 : b <= g.bin[node]!;
      node = goLeft ? g.left[node]! : g.right[node]!;
    }
    margin[i] = margin[i]! + g.value[node]!;
  }
}

function meanLogLoss(margin: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < margin.length; i++) s += softplus(margin[i]!) - y[i]! * margin[i]!;
  return s / margin.length;
}

/** Total split gain per feature over all trees. */
export function gbdtImportance(model: GbdtModel): Float64Array {
  const out = new Float64Array(model.names.length);
  for (const t of model.trees) {
    for (let i = 0; i < t.feature.length; i++)
      if (t.left[i]! >= 0) out[t.feature[i]!] = out[t.feature[i]!]! + t.gain[i]!;
  }
  return out;
}

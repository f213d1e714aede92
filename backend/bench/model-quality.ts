import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { binMatrix, fitBins } from '../src/intelligence/binning';
import { loadCsvFile, type CsvLoadOptions } from '../src/intelligence/csv';
import { encodeForLinear, encodeForTrees } from '../src/intelligence/encoding';
import { evaluateModels, type EvaluationReport } from '../src/intelligence/evaluate';
import { fitGbdt } from '../src/intelligence/gbdt';
import { buildHistogram, histogramLayout } from '../src/intelligence/histogram';
import { fitLogistic } from '../src/intelligence/logistic-regression';
import { type Matrix } from '../src/intelligence/matrix';
import { type Model, scoreBatch } from '../src/intelligence/scoring-model';
import { tableFromMatrix } from '../src/intelligence/table';
import { syntheticData } from '../src/intelligence/test-data';

/**
 * `npm run bench:model` (tsx): accuracy, training time and scoring throughput of the two models on the
 * two public data sets and a generated 100k × 50 set, each figure beside its target, and ratios against
 * baselines measured in the same run (machine speed varies; ratios travel better than seconds).
 */
const REPO = resolve(__dirname, '../..');
const DATASETS = resolve(REPO, '../shared/datasets');

const TARGETS = {
  shoppersAuc: 0.93,
  telcoAuc: 0.845,
  trainSeconds100k: 3,
  rowsPerSecond: 200_000,
};

const missed: string[] = [];
const line = (s = '') => process.stdout.write(`${s}\n`);
const f4 = (v: number) => v.toFixed(4);
const rate = (v: number) => `${Math.round(v).toLocaleString('en-US')} rows/s`;

function check(label: string, ok: boolean, text: string): void {
  line(`  ${ok ? 'ok    ' : 'MISSED'} ${label.padEnd(34)} ${text}`);
  if (!ok) missed.push(label);
}

/** Best of a few runs: on a shared machine the minimum is the least noisy estimate of the cost. */
function timeIt(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

function throughput(model: Model, x: Matrix): number {
  scoreBatch({ model }, x); // warm-up: compile the scoring loop
  return x.rows / timeIt(() => scoreBatch({ model }, x));
}

function publicDataset(
  name: string,
  file: string,
  options: CsvLoadOptions,
  target: number,
  published: string,
) {
  const path = join(DATASETS, file);
  line(`\n${name} (${path})`);
  if (!existsSync(path)) {
    line('  skipped: file not found');
    missed.push(`${name}: data set missing`);
    return;
  }
  const data = loadCsvFile(path, options);
  const t0 = performance.now();
  const r: EvaluationReport = evaluateModels(data, { folds: 5 });
  const seconds = (performance.now() - t0) / 1000;
  line(
    `  ${r.rows} rows, ${r.columns.input} columns (${r.columns.linear} for LR, ${r.columns.trees} for trees); ${r.scheme}; ${seconds.toFixed(1)} s in all`,
  );
  for (const w of r.warnings) line(`  warning: ${w}`);
  const { logistic: lr, gbdt: gb } = r.models;
  for (const [label, m] of [
    ['LR  ', lr],
    ['GBDT', gb],
  ] as const) {
    line(
      `  ${label} ROC-AUC ${f4(m.rocAuc.mean)} ± ${f4(m.rocAuc.sd)}  PR-AUC ${f4(m.prAuc.mean)}  Brier ${f4(m.brier.mean)} ± ${f4(m.brier.sd)}  ` +
        `log-loss ${f4(m.logLoss.mean)}  ECE ${f4(m.calibrationError.mean)}  train ${m.trainSeconds.mean.toFixed(2)} s/fold` +
        (m.trees ? ` (${m.trees.mean} trees)` : ''),
    );
  }
  const best = Math.max(lr.rocAuc.mean, gb.rocAuc.mean);
  check(`${name} best ROC-AUC`, best >= target, `${f4(best)} (target ≥ ${target}; published ${published})`);
  line(`  ratio: GBDT/LR train time ${(gb.trainSeconds.mean / lr.trainSeconds.mean).toFixed(1)}×`);

  // Throughput of models fitted on all rows, scoring all rows (calibration adds one sigmoid per row).
  const trees = encodeForTrees(data.table);
  const linear = encodeForLinear(data.table);
  const gbModel = fitGbdt(trees, data.y, {
    numTrees: Math.max(1, Math.round(gb.trees!.mean)),
    learningRate: 0.05,
    maxLeaves: 15,
  }).model;
  const lrModel = fitLogistic(linear, data.y);
  const gbRate = throughput(gbModel, trees);
  check(
    `${name} GBDT scoring`,
    gbRate >= TARGETS.rowsPerSecond,
    `${rate(gbRate)} with ${gbModel.trees.length} trees (target ≥ ${rate(TARGETS.rowsPerSecond)})`,
  );
  line(`  LR scoring ${rate(throughput(lrModel, linear))}`);
}

function synthetic() {
  const n = 100_000;
  const p = 50;
  line(
    `\nGenerated ${n.toLocaleString('en-US')} × ${p} (normal features, 5% missing in every fifth, nonlinear logistic label)`,
  );
  const { x, y } = syntheticData(n, p, 1);

  // Baselines: binning the matrix, and one full-data gradient histogram (the unit of work of a tree).
  let binned = binMatrix(fitBins(x), x);
  const binSeconds = timeIt(() => (binned = binMatrix(fitBins(x), x)));
  const mapper = fitBins(x);
  const layout = histogramLayout(mapper.nBins);
  const hist = new Float64Array(layout.totalBins * 2);
  const grad = new Float64Array(n).fill(0.1);
  const packed = new Float64Array(n).fill(2 ** 36 + 5);
  const ordered = new Float64Array(2 * n);
  const histSeconds = timeIt(() => {
    hist.fill(0);
    buildHistogram(hist, layout, binned, grad, packed, null, 0, n, ordered);
  }, 5);
  line(
    `  baseline: bin the matrix ${(binSeconds * 1000).toFixed(0)} ms; one full histogram ${(histSeconds * 1000).toFixed(1)} ms (${((histSeconds * 1e9) / (n * p)).toFixed(2)} ns per cell)`,
  );

  fitGbdt(x, y, { numTrees: 3 }); // warm-up
  let model: Model | null = null;
  const threads = availableParallelism() >= 2 ? 2 : 1;
  const cpu0 = process.cpuUsage();
  const trainSeconds = timeIt(() => (model = fitGbdt(x, y, { numTrees: 100, threads }).model), 2);
  const cpu = process.cpuUsage(cpu0);
  check(
    `100 trees (31 leaves) on 100k × 50`,
    trainSeconds <= TARGETS.trainSeconds100k,
    `${trainSeconds.toFixed(2)} s wall, best of 2, ${threads} threads (target ≤ ${TARGETS.trainSeconds100k} s); CPU ${((cpu.user + cpu.system) / 2e6).toFixed(2)} s per run`,
  );
  const oneThread = timeIt(() => fitGbdt(x, y, { numTrees: 100, threads: 1 }), 1);
  line(
    `  same on one thread: ${oneThread.toFixed(2)} s (identical trees); two threads are ${(oneThread / trainSeconds).toFixed(2)}× faster`,
  );
  line(
    `  ratio: training = ${(trainSeconds / histSeconds).toFixed(0)} single-thread full-histogram passes (${(trainSeconds / histSeconds / 100).toFixed(2)} per tree)`,
  );
  const gbRate = throughput(model!, x);
  check(
    'GBDT scoring, 100 trees',
    gbRate >= TARGETS.rowsPerSecond,
    `${rate(gbRate)} (target ≥ ${rate(TARGETS.rowsPerSecond)})`,
  );
  const lrModel = fitLogistic(x, y);
  const lrSeconds = timeIt(() => fitLogistic(x, y), 1);
  line(
    `  LR fit (Newton) ${lrSeconds.toFixed(2)} s, ${lrModel.iterations} iterations; scoring ${rate(throughput(lrModel, x))}`,
  );

  const table = tableFromMatrix(x);
  const t0 = performance.now();
  const r = evaluateModels(
    { table, y, label: 'y', positive: '1', negative: '0', warnings: [] },
    { folds: 5 },
  );
  line(`  5-fold evaluation in ${((performance.now() - t0) / 1000).toFixed(1)} s:`);
  for (const [label, m] of [
    ['LR  ', r.models.logistic],
    ['GBDT', r.models.gbdt],
  ] as const) {
    line(
      `  ${label} ROC-AUC ${f4(m.rocAuc.mean)} ± ${f4(m.rocAuc.sd)}  Brier ${f4(m.brier.mean)} ± ${f4(m.brier.sd)}  train ${m.trainSeconds.mean.toFixed(2)} s/fold` +
        (m.trees ? ` (${m.trees.mean} trees)` : ''),
    );
  }
}

function main() {
  line(
    `Cairn model bench: node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)}`,
  );
  publicDataset(
    'Online Shoppers',
    'online_shoppers_intention.csv',
    { label: 'Revenue', positive: 'TRUE' },
    TARGETS.shoppersAuc,
    'XGBoost 0.937',
  );
  publicDataset(
    'Telco churn',
    'telco_customer_churn.csv',
    // Churn_int is the label as 0/1: keeping it would leak the answer.
    { label: 'Churn', positive: 'Yes', drop: ['customerID', 'Churn_int'] },
    TARGETS.telcoAuc,
    'LR ≈ 0.85',
  );
  synthetic();
  line(
    `\nLoad average at the end: ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs (timings are wall-clock).`,
  );
  line(`${missed.length ? `Targets missed: ${missed.join('; ')}` : 'All targets met.'}`);
}

main();

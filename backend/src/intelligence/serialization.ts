import { type Calibrator } from './calibration';
import { type GbdtModel } from './gbdt';
import { type LogisticModel } from './logistic-regression';
import { type Model, type ScoringModel } from './scoring-model';
import { type Tree } from './tree';

/**
 * Models to and from plain JSON (numbers and arrays only), for a jsonb column. Loading validates shape
 * and array lengths and rebuilds typed arrays, so a corrupted row fails loudly rather than mis-scoring.
 */
export const FORMAT_VERSION = 1;

export function toJson(s: ScoringModel): unknown {
  return {
    version: FORMAT_VERSION,
    model: modelToJson(s.model),
    calibrator: s.calibrator ? calibratorToJson(s.calibrator) : null,
  };
}

export function fromJson(json: unknown): ScoringModel {
  const o = obj(json, 'scoring model');
  if (o['version'] !== FORMAT_VERSION)
    throw new Error(`unsupported model format version ${String(o['version'])}`);
  const calibrator = o['calibrator'] == null ? undefined : calibratorFromJson(o['calibrator']);
  return { model: modelFromJson(o['model']), calibrator };
}

function modelToJson(m: Model): unknown {
  if (m.kind === 'logistic') {
    return {
      kind: m.kind,
      names: [...m.names],
      intercept: m.intercept,
      coefficients: [...m.coefficients],
      means: [...m.means],
      sds: [...m.sds],
      l2: m.l2,
      iterations: m.iterations,
      converged: m.converged,
    };
  }
  return {
    kind: m.kind,
    names: [...m.names],
    baseScore: m.baseScore,
    trees: m.trees.map((t) => ({
      feature: [...t.feature],
      threshold: [...t.threshold],
      missingLeft: [...t.missingLeft],
      left: [...t.left],
      right: [...t.right],
      value: [...t.value],
      gain: [...t.gain],
      count: [...t.count],
    })),
  };
}

function modelFromJson(json: unknown): Model {
  const o = obj(json, 'model');
  const names = strings(o['names'], 'names');
  const p = names.length;
  if (o['kind'] === 'logistic') {
    const m: LogisticModel = {
      kind: 'logistic',
      names,
      intercept: num(o['intercept'], 'intercept'),
      coefficients: Float64Array.from(nums(o['coefficients'], 'coefficients', p)),
      means: Float64Array.from(nums(o['means'], 'means', p)),
      sds: Float64Array.from(nums(o['sds'], 'sds', p)),
      l2: num(o['l2'], 'l2'),
      iterations: num(o['iterations'], 'iterations'),
      converged: o['converged'] === true,
    };
    return m;
  }
  if (o['kind'] === 'gbdt') {
    if (!Array.isArray(o['trees'])) throw new Error('model.trees must be an array');
    const trees = o['trees'].map((t, i) => treeFromJson(t, i, p));
    const m: GbdtModel = { kind: 'gbdt', names, baseScore: num(o['baseScore'], 'baseScore'), trees };
    return m;
  }
  throw new Error(`unknown model kind ${String(o['kind'])}`);
}

function treeFromJson(json: unknown, i: number, p: number): Tree {
  const o = obj(json, `tree ${i}`);
  const n = nums(o['feature'], `tree ${i} feature`).length;
  const ints = (k: string) => Int32Array.from(nums(o[k], `tree ${i} ${k}`, n));
  const t: Tree = {
    feature: ints('feature'),
    threshold: Float64Array.from(nums(o['threshold'], `tree ${i} threshold`, n)),
    missingLeft: Uint8Array.from(nums(o['missingLeft'], `tree ${i} missingLeft`, n)),
    left: ints('left'),
    right: ints('right'),
    value: Float64Array.from(nums(o['value'], `tree ${i} value`, n)),
    gain: Float64Array.from(nums(o['gain'], `tree ${i} gain`, n)),
    count: ints('count'),
  };
  for (let k = 0; k < n; k++) {
    const inner = t.left[k]! >= 0;
    // Children must come after their parent: this also rules out cycles, so scoring always terminates.
    if (inner && (t.left[k]! <= k || t.right[k]! <= k || t.left[k]! >= n || t.right[k]! >= n)) {
      throw new Error(`tree ${i} node ${k} has invalid children`);
    }
    if (inner && (t.feature[k]! < 0 || t.feature[k]! >= p))
      throw new Error(`tree ${i} node ${k} has an invalid feature`);
  }
  return t;
}

function calibratorToJson(c: Calibrator): unknown {
  return c.kind === 'platt'
    ? { kind: 'platt', a: c.a, b: c.b }
    : { kind: 'isotonic', x: [...c.x], y: [...c.y] };
}

function calibratorFromJson(json: unknown): Calibrator {
  const o = obj(json, 'calibrator');
  if (o['kind'] === 'platt') return { kind: 'platt', a: num(o['a'], 'a'), b: num(o['b'], 'b') };
  if (o['kind'] === 'isotonic') {
    const x = nums(o['x'], 'calibrator x');
    return {
      kind: 'isotonic',
      x: Float64Array.from(x),
      y: Float64Array.from(nums(o['y'], 'calibrator y', x.length)),
    };
  }
  throw new Error(`unknown calibrator kind ${String(o['kind'])}`);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} must be a finite number`);
  return v;
}

function nums(v: unknown, what: string, length?: number): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new Error(`${what} must be an array of finite numbers`);
  }
  if (length !== undefined && v.length !== length)
    throw new Error(`${what} has ${v.length} entries, expected ${length}`);
  return v as number[];
}

function strings(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new Error(`${what} must be an array of strings`);
  return v as string[];
}

import { StartupError } from '../runtime/startup-error';
import { loadCsvFile } from '../intelligence/csv';
import { DataError } from '../intelligence/data-error';
import { evaluateModels } from '../intelligence/evaluate';

const USAGE =
  'model:evaluate --csv FILE --label COLUMN [--positive VALUE] [--time COLUMN] [--drop A,B] [--folds K] ' +
  '[--calibration platt|isotonic] [--seed N]';

const FLAGS = new Set(['csv', 'label', 'positive', 'time', 'drop', 'folds', 'calibration', 'seed']);

/**
 * `cairn model:evaluate`: trains logistic regression and boosted trees on a labelled CSV, evaluates them
 * by stratified k-fold (or on the latest 20% by --time) and prints the report as JSON on stdout.
 */
export async function modelEvaluate(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  const csv = flags.get('csv');
  const label = flags.get('label');
  if (!csv || !label) throw new StartupError(`missing --csv or --label. Usage: ${USAGE}`);
  const folds = flags.has('folds') ? integer(flags.get('folds')!, 'folds') : 5;
  const seed = flags.has('seed') ? integer(flags.get('seed')!, 'seed') : 1;
  const calibration = flags.get('calibration') ?? 'platt';
  if (calibration !== 'platt' && calibration !== 'isotonic') {
    throw new StartupError(`--calibration must be platt or isotonic, got "${calibration}"`);
  }
  const time = flags.get('time');
  try {
    const data = loadCsvFile(csv, {
      label,
      positive: flags.get('positive'),
      time,
      drop: flags.has('drop')
        ? flags
            .get('drop')!
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    });
    const report = evaluateModels(data, { folds, seed, calibration, byTime: time !== undefined });
    process.stdout.write(`${JSON.stringify({ file: csv, label, ...report }, null, 2)}\n`);
  } catch (e) {
    if (e instanceof DataError) throw new StartupError(e.message);
    throw e;
  }
}

function parseFlags(args: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !FLAGS.has(m[1]!)) throw new StartupError(`unknown argument "${arg}". Usage: ${USAGE}`);
    const value = m[2] ?? args[++i];
    if (value === undefined || (m[2] === undefined && value.startsWith('--'))) {
      throw new StartupError(`--${m[1]} needs a value`);
    }
    out.set(m[1]!, value);
  }
  return out;
}

function integer(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new StartupError(`--${name} must be an integer, got "${v}"`);
  return n;
}

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type ConversionPath } from '../insights/conversion-path';
import { heuristicAttribution } from '../insights/heuristic-attribution';
import { markovAttribution } from '../insights/markov-attribution';
import { parsePaths } from '../insights/paths-file';
import { DataError } from '../intelligence/data-error';
import { StartupError } from '../runtime/startup-error';

const USAGE = 'attribution --paths FILE';

/**
 * `cairn attribution`: Markov removal effects and first-touch, last-touch and linear credit for an
 * aggregated paths file (path;total_conversions;total_conversion_value;total_null), printed as JSON, channels
 * by Markov-credited conversions, most first.
 */
export async function attribution(args: string[]): Promise<void> {
  const file = pathsArgument(args);
  const paths = await readPaths(file);
  const markov = markovAttribution(paths);
  const heuristic = heuristicAttribution(paths);
  const channels = markov.channels
    .map((channel, i) => ({
      channel,
      removalEffect: markov.removalEffects[i]!,
      conversions: markov.conversions[i]!,
      value: markov.value[i]!,
      firstTouch: heuristic.firstTouch[i]!,
      lastTouch: heuristic.lastTouch[i]!,
      linear: heuristic.linear[i]!,
    }))
    .sort((a, b) => b.conversions - a.conversions || a.channel.localeCompare(b.channel));
  const report = {
    file,
    baselineConversionProbability: markov.baseline,
    totals: {
      paths: paths.length,
      journeys: paths.reduce((s, p) => s + p.conversions + p.nulls, 0),
      conversions: markov.totalConversions,
      value: markov.totalValue,
    },
    channels,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

async function readPaths(file: string): Promise<ConversionPath[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StartupError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${code ?? e}`);
  }
  try {
    return parsePaths(text, file);
  } catch (e) {
    if (e instanceof DataError) throw new StartupError(e.message);
    throw e;
  }
}

function pathsArgument(args: string[]): string {
  let paths: string | undefined;
  try {
    ({ paths } = parseArgs({ args, options: { paths: { type: 'string' } }, strict: true }).values);
  } catch (e) {
    // Node's messages can run to several lines of advice; the first says what is wrong.
    throw new StartupError(`${(e as Error).message.split('\n')[0]!.replace(/\.$/, '')}. Usage: ${USAGE}`);
  }
  if (!paths) throw new StartupError(`missing --paths. Usage: ${USAGE}`);
  return paths;
}

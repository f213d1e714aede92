import { type ConversionPath, indexChannels } from './conversion-path';
import { solveLinearSystem } from './linear-solve';

/** Markov-chain attribution per channel, in the order of `channels`. */
export interface MarkovAttribution {
  channels: string[];
  /** Probability that a journey converts, from the fitted chain's start state. */
  baseline: number;
  /** Relative drop in that probability when the channel is removed (its visits end the journey). */
  removalEffects: Float64Array;
  /** Total conversions and value shared out in proportion to the removal effects. */
  conversions: Float64Array;
  value: Float64Array;
  totalConversions: number;
  totalValue: number;
}

/**
 * First-order Markov attribution (Anderl et al. 2016; R ChannelAttribution's markov_model) computed exactly:
 * the conversion probability of an absorbing chain solves (I − Q) x = r, so there is no simulation noise.
 * States are start, one per channel, conversion and null.
 */
export function markovAttribution(paths: readonly ConversionPath[]): MarkovAttribution {
  const { channels, indexOf } = indexChannels(paths);
  const transient = channels.length + 1; // start is state 0, channel i is state i + 1
  const conversion = transient;
  const dropout = transient + 1;
  const width = transient + 2;
  const counts = new Float64Array(transient * width);
  let totalConversions = 0;
  let totalValue = 0;
  for (const path of paths) {
    totalConversions += path.conversions;
    totalValue += path.value;
    const journeys = path.conversions + path.nulls;
    if (journeys === 0) continue;
    let from = 0;
    for (const channel of path.channels) {
      const to = indexOf.get(channel)! + 1;
      // A repeated touch is a self-loop, which changes no absorption probability: leaving it out is exact.
      if (to === from) continue;
      counts[from * width + to]! += journeys;
      from = to;
    }
    counts[from * width + conversion]! += path.conversions;
    counts[from * width + dropout]! += path.nulls;
  }

  // I − Q and r from the counts; a channel seen only on journeys that carry no weight keeps x = 0.
  const system = new Float64Array(transient * transient);
  const toConversion = new Float64Array(transient);
  for (let i = 0; i < transient; i++) {
    let out = 0;
    for (let j = 0; j < width; j++) out += counts[i * width + j]!;
    system[i * transient + i] = 1;
    if (out === 0) continue;
    for (let j = 0; j < transient; j++) system[i * transient + j]! -= counts[i * width + j]! / out;
    toConversion[i] = counts[i * width + conversion]! / out;
  }
  const conversionProbability = (removedState?: number) => {
    if (removedState === undefined) return solveLinearSystem(system, toConversion, transient)[0]!;
    // Removing a channel sends its visits to null: its row becomes x = 0.
    const a = system.slice();
    a.fill(0, removedState * transient, (removedState + 1) * transient);
    a[removedState * transient + removedState] = 1;
    const r = toConversion.slice();
    r[removedState] = 0;
    return solveLinearSystem(a, r, transient)[0]!;
  };

  const baseline = conversionProbability();
  // Removal can only lower the probability; the clamp drops rounding noise around an effect of 0.
  const removalEffects = Float64Array.from(channels, (_, i) =>
    baseline > 0 ? Math.max(0, 1 - conversionProbability(i + 1) / baseline) : 0,
  );
  const effectSum = removalEffects.reduce((s, e) => s + e, 0);
  const share = (total: number) => removalEffects.map((e) => (effectSum > 0 ? (total * e) / effectSum : 0));
  return {
    channels,
    baseline,
    removalEffects,
    conversions: share(totalConversions),
    value: share(totalValue),
    totalConversions,
    totalValue,
  };
}

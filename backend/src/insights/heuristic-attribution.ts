import { type ConversionPath, indexChannels } from './conversion-path';

/** Conversions credited per channel by the rule-based models, in the order of `channels`. */
export interface HeuristicAttribution {
  channels: string[];
  firstTouch: Float64Array;
  lastTouch: Float64Array;
  /** Each touch of a path gets an equal share, so a channel touched twice gets two shares. */
  linear: Float64Array;
}

/** First-touch, last-touch and linear attribution: the baselines the Markov model is read against. */
export function heuristicAttribution(paths: readonly ConversionPath[]): HeuristicAttribution {
  const { channels, indexOf } = indexChannels(paths);
  const firstTouch = new Float64Array(channels.length);
  const lastTouch = new Float64Array(channels.length);
  const linear = new Float64Array(channels.length);
  for (const { channels: touches, conversions } of paths) {
    if (conversions === 0 || touches.length === 0) continue;
    firstTouch[indexOf.get(touches[0]!)!]! += conversions;
    lastTouch[indexOf.get(touches[touches.length - 1]!)!]! += conversions;
    const share = conversions / touches.length;
    for (const channel of touches) linear[indexOf.get(channel)!]! += share;
  }
  return { channels, firstTouch, lastTouch, linear };
}

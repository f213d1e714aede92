/** One aggregated customer journey: the channels touched in order and how the journeys along it ended. */
export interface ConversionPath {
  channels: readonly string[];
  conversions: number;
  value: number;
  /** Journeys along this path that ended without converting. */
  nulls: number;
}

export interface ChannelIndex {
  /** Every channel on any path, sorted: the order of all attribution results. */
  channels: string[];
  indexOf: Map<string, number>;
}

export function indexChannels(paths: readonly ConversionPath[]): ChannelIndex {
  const seen = new Set<string>();
  for (const path of paths) for (const channel of path.channels) seen.add(channel);
  const channels = [...seen].sort();
  return { channels, indexOf: new Map(channels.map((channel, i) => [channel, i])) };
}

import type { TrackedMessage } from '../segment/segment-message';
import type { Mapping } from '../taxonomy/taxonomy-rules';

/** An accepted message waiting in the inbox for identity resolution, with its source and taxonomy mapping. */
export interface InboxEntry {
  sourceId: string | null;
  message: TrackedMessage;
  mapping: Mapping;
}

export function encodeEntries(entries: InboxEntry[]): string {
  return JSON.stringify(entries);
}

export function decodeEntries(text: string): InboxEntry[] {
  const entries = JSON.parse(text) as InboxEntry[];
  for (const { message } of entries) {
    message.timestamp = new Date(message.timestamp);
    message.receivedAt = new Date(message.receivedAt);
  }
  return entries;
}

import type { JourneyNode } from './journey-schema';

/** The single output of every step that has only one (and of the trigger): an edge without a handle uses it. */
export const NEXT_OUTPUT = 'next';

/**
 * The named outputs a step can point on from, in drawing order. An output with no pointer ends the journey
 * for whoever takes it.
 */
export function nodeOutputs(node: JourneyNode): string[] {
  switch (node.kind) {
    case 'wait':
      return node.mode === 'until' ? ['matched', 'timeout'] : [NEXT_OUTPUT];
    case 'branch':
      return [...node.paths.map((p) => p.id), 'else'];
    case 'random_split':
      return node.variants.map((v) => v.id);
    case 'exit':
      return [];
    default:
      return [NEXT_OUTPUT];
  }
}

/**
 * Whether leaving `node` by `output` always takes time. A window wait does not count: inside its window it
 * lets the prospect straight through; nor does a wait's `matched` output, which a prospect already at the
 * stage waited for may take at once.
 */
export function outputDelays(node: JourneyNode, output: string): boolean {
  if (node.kind !== 'wait') return false;
  return node.mode === 'duration' || (node.mode === 'until' && output === 'timeout');
}

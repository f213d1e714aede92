/** One `next` pointer, as the graph algorithms see it. */
export interface GraphEdge {
  from: string;
  to: string;
  /** Following this pointer always takes time: a wait's delay or its timeout. */
  delays: boolean;
}

function successors(edges: readonly GraphEdge[], keep: (e: GraphEdge) => boolean): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (keep(e)) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  return next;
}

export function reachableFrom(starts: Iterable<string>, edges: readonly GraphEdge[]): Set<string> {
  const next = successors(edges, () => true);
  const seen = new Set<string>();
  const stack = [...starts];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return seen;
}

/**
 * Loops a prospect could go round without ever waiting, which would spin the interpreter and repeat its
 * actions at full speed: the strongly connected components of the pointers that do not delay (Tarjan), in
 * the order of `nodeIds`.
 */
export function waitlessLoops(nodeIds: readonly string[], edges: readonly GraphEdge[]): string[][] {
  const next = successors(edges, (e) => !e.delays);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];

  const visit = (id: string): void => {
    index.set(id, index.size);
    low.set(id, index.get(id)!);
    stack.push(id);
    onStack.add(id);
    for (const to of next.get(id) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id)!, index.get(to)!));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== id);
    if (component.length > 1 || next.get(id)?.includes(id)) loops.push(component);
  };

  for (const id of nodeIds) if (!index.has(id)) visit(id);
  const position = new Map(nodeIds.map((id, i) => [id, i]));
  const order = (a: string, b: string) => (position.get(a) ?? 0) - (position.get(b) ?? 0);
  return loops.map((loop) => loop.sort(order)).sort((a, b) => order(a[0]!, b[0]!));
}

/**
 * Columns for drawing: a node's column is the longest path to it from `start`, with loops cut where a
 * depth-first walk comes back round; within a column, nodes keep the order that walk first met them in.
 */
export function layers(start: string, edges: readonly GraphEdge[]): string[][] {
  const next = successors(edges, () => true);
  const preorder = new Map<string, number>();
  const finished: string[] = [];
  const onPath = new Set<string>();
  const forward = new Map<string, string[]>();

  const walk = (id: string): void => {
    preorder.set(id, preorder.size);
    onPath.add(id);
    for (const to of next.get(id) ?? []) {
      if (onPath.has(to)) continue;
      forward.set(id, [...(forward.get(id) ?? []), to]);
      if (!preorder.has(to)) walk(to);
    }
    onPath.delete(id);
    finished.push(id);
  };
  walk(start);

  const rank = new Map<string, number>([[start, 0]]);
  // Reverse finishing order is a topological order once the loop-closing pointers are left out.
  for (const id of finished.reverse()) {
    for (const to of forward.get(id) ?? []) rank.set(to, Math.max(rank.get(to) ?? 0, rank.get(id)! + 1));
  }
  const columns: string[][] = [];
  for (const id of preorder.keys()) (columns[rank.get(id)!] ??= []).push(id);
  return columns;
}

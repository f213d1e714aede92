import { Graph, layout } from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';

const WIDTH = 260;
const HEIGHT = 110;

/** Left-to-right layered layout (dagre): the trigger first, each step right of what leads to it. */
export function autoLayout(nodes: Node[], edges: Edge[]): Node[] {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 48, ranksep: 96, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    g.setNode(n.id, { width: n.measured?.width ?? WIDTH, height: n.measured?.height ?? HEIGHT });
  }
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  layout(g);
  return nodes.map((n) => {
    const p = g.node(n.id);
    if (!p) return n;
    const w = n.measured?.width ?? WIDTH;
    const h = n.measured?.height ?? HEIGHT;
    return { ...n, position: { x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2) } };
  });
}

import { CANVAS_TRIGGER_TYPE, type CanvasGraph } from './canvas-graph';
import { layers } from './journey-graph';
import { NEXT_OUTPUT, outputDelays } from './journey-outputs';
import { defaultJourneySettings, type JourneyDefinition } from './journey-schema';
import { validateCanvas, validateDefinition, type DefinitionResult } from './journey-validation';

/** Turns a valid canvas draft into the definition to publish; otherwise the errors to show on the canvas. */
export function canvasToDefinition(graph: CanvasGraph): DefinitionResult {
  const checked = validateCanvas(graph);
  if (!checked.ok) return { ok: false, errors: checked.errors };
  const nextOf = (id: string) =>
    Object.fromEntries(
      graph.edges.filter((e) => e.source === id).map((e) => [e.sourceHandle ?? NEXT_OUTPUT, e.target]),
    );
  const trigger = graph.nodes.find((n) => n.type === CANVAS_TRIGGER_TYPE);
  const steps = graph.nodes.filter((n) => n !== trigger);
  return validateDefinition({
    version: 1,
    trigger: trigger?.data,
    settings: graph.settings ?? defaultJourneySettings,
    entryNodeId: trigger && nextOf(trigger.id)[NEXT_OUTPUT],
    nodes: Object.fromEntries(steps.map((n) => [n.id, { ...n.data, kind: n.type, next: nextOf(n.id) }])),
  });
}

export interface LayoutOptions {
  /** Distance between columns (steps one further from the trigger). */
  columnWidth?: number;
  /** Distance between steps in a column; each column is centred on the trigger's row. */
  rowHeight?: number;
}

/** Draws a definition that has no canvas of its own (generated, or from an API) as a left-to-right flow. */
export function definitionToCanvas(
  def: JourneyDefinition,
  { columnWidth = 320, rowHeight = 160 }: LayoutOptions = {},
): CanvasGraph {
  let triggerId = CANVAS_TRIGGER_TYPE as string;
  for (let n = 2; Object.hasOwn(def.nodes, triggerId); n++) triggerId = `${CANVAS_TRIGGER_TYPE}-${n}`;

  const pointers = [
    { from: triggerId, output: NEXT_OUTPUT, to: def.entryNodeId, delays: false },
    ...Object.entries(def.nodes).flatMap(([from, node]) =>
      Object.entries(node.next).map(([output, to]) => ({
        from,
        output,
        to,
        delays: outputDelays(node, output),
      })),
    ),
  ];
  const positions = new Map<string, { x: number; y: number }>();
  layers(triggerId, pointers).forEach((column, rank) =>
    column.forEach((id, row) =>
      positions.set(id, { x: rank * columnWidth, y: (row - (column.length - 1) / 2) * rowHeight }),
    ),
  );
  const at = (id: string) => positions.get(id) ?? { x: 0, y: 0 };

  return {
    nodes: [
      { id: triggerId, type: CANVAS_TRIGGER_TYPE, position: at(triggerId), data: { ...def.trigger } },
      ...Object.entries(def.nodes).map(([id, { kind, next: _next, ...data }]) => ({
        id,
        type: kind,
        position: at(id),
        data,
      })),
    ],
    edges: pointers.map(({ from, output, to }) => ({
      id: `${from}:${output}`,
      source: from,
      sourceHandle: output,
      target: to,
    })),
    settings: def.settings,
  };
}

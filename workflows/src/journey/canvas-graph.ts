import { z } from 'zod';

/**
 * The journey as the React Flow canvas stores it: a draft, free to be incomplete or wrong until validated.
 * Nodes and edges keep whatever else React Flow puts on them (size, selection…).
 *
 * A node's `type` is `trigger` or a step kind; its `data` is that trigger's or step's configuration plus an
 * optional `label`, nothing else (a definition is checked strictly). An edge leaves by `sourceHandle`, the
 * name of an output (`next` when absent); steps have one input, so `targetHandle` is not read.
 */

export const CANVAS_TRIGGER_TYPE = 'trigger';

const xySchema = z.object({ x: z.number(), y: z.number() });

export const canvasNodeSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  position: xySchema,
  data: z.record(z.string(), z.unknown()),
});

export const canvasEdgeSchema = z.looseObject({
  id: z.string(),
  source: z.string(),
  sourceHandle: z.string().nullish(),
  target: z.string(),
  targetHandle: z.string().nullish(),
});

export const canvasGraphSchema = z.object({
  nodes: z.array(canvasNodeSchema),
  edges: z.array(canvasEdgeSchema),
  viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number() }).optional(),
  /** The journey's settings as edited beside the canvas; absent means the defaults. */
  settings: z.record(z.string(), z.unknown()).optional(),
});

export type CanvasNode = z.infer<typeof canvasNodeSchema>;
export type CanvasEdge = z.infer<typeof canvasEdgeSchema>;
export type CanvasGraph = z.infer<typeof canvasGraphSchema>;

import type { z } from 'zod';
import { CANVAS_TRIGGER_TYPE, type CanvasGraph, type CanvasNode } from './canvas-graph';
import { reachableFrom, waitlessLoops, type GraphEdge } from './journey-graph';
import { NEXT_OUTPUT, nodeOutputs, outputDelays } from './journey-outputs';
import {
  MAX_NODES,
  isStepKind,
  journeyDefinitionSchema,
  journeyNodeSchema,
  journeySettingsSchema,
  journeyTriggerSchema,
  nodeIdSchema,
  waitlessLoopMessage,
  type JourneyDefinition,
  type JourneyIssueCode,
} from './journey-schema';

/**
 * Checks a canvas draft before it can become a definition, with every error tied to the node or edge to
 * highlight. An output left unconnected ends the journey for whoever takes it (a branch's `else`, a split's
 * arm, a wait's timeout): only the trigger must lead somewhere.
 */

export type ValidationCode =
  | JourneyIssueCode
  | 'no_trigger'
  | 'multiple_triggers'
  | 'trigger_not_connected'
  | 'edge_into_trigger'
  | 'unknown_node_type'
  | 'duplicate_id'
  | 'invalid_config'
  | 'invalid_settings'
  | 'dangling_edge'
  | 'duplicate_output';

export interface ValidationError {
  nodeId?: string;
  edgeId?: string;
  code: ValidationCode;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: ValidationError[];
}

export type DefinitionResult =
  { ok: true; definition: JourneyDefinition } | { ok: false; errors: ValidationError[] };

/** `variants[1].percentage` */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

function issueError(issue: z.core.$ZodIssue, path: readonly PropertyKey[], fallback: ValidationCode) {
  const where = fieldPath(path);
  const code =
    issue.code === 'custom' ? (issue.params?.journeyCode as JourneyIssueCode | undefined) : undefined;
  return { code: code ?? fallback, message: where ? `${where}: ${issue.message}` : issue.message };
}

/** Parses a definition from anywhere (an API body, a stored version, a generated journey). */
export function validateDefinition(input: unknown): DefinitionResult {
  const parsed = journeyDefinitionSchema.safeParse(input);
  if (parsed.success) return { ok: true, definition: parsed.data };
  const errors = parsed.error.issues.map((issue): ValidationError => {
    const [root, id, ...rest] = issue.path;
    if (root === 'nodes' && typeof id === 'string') {
      return { nodeId: id, ...issueError(issue, rest, 'invalid_config') };
    }
    return issueError(issue, issue.path, root === 'settings' ? 'invalid_settings' : 'invalid_config');
  });
  return { ok: false, errors };
}

interface CheckedNode {
  trigger: boolean;
  /** Null when the node's type or configuration is invalid, so which outputs it has is unknown. */
  outputs: readonly string[] | null;
  delays: (output: string) => boolean;
}

// A node that cannot be read gets the benefit of the doubt in the graph checks: its own error says what to fix.
const UNREAD: CheckedNode = { trigger: false, outputs: null, delays: () => true };

function checkNode(node: CanvasNode, errors: ValidationError[]): CheckedNode {
  const report = (issues: readonly z.core.$ZodIssue[]) =>
    errors.push(
      ...issues.map((issue) => ({ nodeId: node.id, ...issueError(issue, issue.path, 'invalid_config') })),
    );
  if (node.type === CANVAS_TRIGGER_TYPE) {
    const parsed = journeyTriggerSchema.safeParse(node.data);
    if (!parsed.success) report(parsed.error.issues);
    return { trigger: true, outputs: [NEXT_OUTPUT], delays: () => false };
  }
  if (node.type === undefined || !isStepKind(node.type)) {
    errors.push({
      nodeId: node.id,
      code: 'unknown_node_type',
      message: `"${node.type ?? ''}" is neither the trigger nor a kind of step`,
    });
    return UNREAD;
  }
  const id = nodeIdSchema.safeParse(node.id);
  if (!id.success) {
    errors.push({
      nodeId: node.id,
      code: 'invalid_id',
      message: `step ids ${id.error.issues[0]?.message ?? ''}`,
    });
  }
  const parsed = journeyNodeSchema.safeParse({ ...node.data, kind: node.type, next: {} });
  if (!parsed.success) {
    report(parsed.error.issues);
    return UNREAD;
  }
  const step = parsed.data;
  return { trigger: false, outputs: nodeOutputs(step), delays: (output) => outputDelays(step, output) };
}

function checkNodes(graph: CanvasGraph, errors: ValidationError[]): Map<string, CheckedNode> {
  const nodes = new Map<string, CheckedNode>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) {
      errors.push({ nodeId: node.id, code: 'duplicate_id', message: `another node has the id "${node.id}"` });
    } else {
      nodes.set(node.id, checkNode(node, errors));
    }
  }
  const triggers = [...nodes].filter(([, n]) => n.trigger).map(([id]) => id);
  if (triggers.length === 0) {
    errors.push({ code: 'no_trigger', message: 'add a trigger: it decides who enters the journey' });
  }
  if (triggers.length > 1) {
    const message = `a journey has exactly one trigger; this one has ${triggers.length}`;
    errors.push(...triggers.map((nodeId) => ({ nodeId, code: 'multiple_triggers' as const, message })));
  }
  if (nodes.size - triggers.length > MAX_NODES) {
    errors.push({ code: 'too_many_nodes', message: `a journey has at most ${MAX_NODES} steps` });
  }
  return nodes;
}

function unknownOutputMessage(output: string, handle: string | null | undefined, outputs: readonly string[]) {
  if (outputs.length === 0) return 'an exit has no outputs';
  const choose = `connect from one of its outputs: ${outputs.join(', ')}`;
  return handle == null ? choose : `this step has no output "${output}"; ${choose}`;
}

/** The usable edges, as pointers; what is wrong with the others goes to `errors`. */
function checkEdges(graph: CanvasGraph, nodes: Map<string, CheckedNode>, errors: ValidationError[]) {
  const edgeIds = new Set<string>();
  const usedOutputs = new Set<string>();
  const pointers: GraphEdge[] = [];
  for (const edge of graph.edges) {
    const edgeId = edge.id;
    if (edgeIds.has(edgeId)) {
      errors.push({ edgeId, code: 'duplicate_id', message: `another edge has the id "${edgeId}"` });
      continue;
    }
    edgeIds.add(edgeId);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) {
      const missing = source ? edge.target : edge.source;
      errors.push({
        edgeId,
        ...(source && { nodeId: edge.source }),
        code: 'dangling_edge',
        message: `this connection ${source ? 'leads to' : 'comes from'} a node that does not exist ("${missing}")`,
      });
      continue;
    }
    if (target.trigger) {
      const message = 'nothing can lead into the trigger';
      errors.push({ edgeId, nodeId: edge.target, code: 'edge_into_trigger', message });
      continue;
    }
    const output = edge.sourceHandle ?? NEXT_OUTPUT;
    if (source.outputs && !source.outputs.includes(output)) {
      const message = unknownOutputMessage(output, edge.sourceHandle, source.outputs);
      errors.push({ edgeId, nodeId: edge.source, code: 'unknown_output', message });
      continue;
    }
    const key = JSON.stringify([edge.source, output]);
    if (usedOutputs.has(key)) {
      const message = `output "${output}" is already connected: one output leads to one step`;
      errors.push({ edgeId, nodeId: edge.source, code: 'duplicate_output', message });
      continue;
    }
    usedOutputs.add(key);
    pointers.push({ from: edge.source, to: edge.target, delays: source.delays(output) });
  }
  return pointers;
}

export function validateCanvas(graph: CanvasGraph): ValidationResult {
  const errors: ValidationError[] = [];
  const nodes = checkNodes(graph, errors);
  const pointers = checkEdges(graph, nodes, errors);
  const ids = [...nodes.keys()];
  const triggers = ids.filter((id) => nodes.get(id)?.trigger);
  for (const nodeId of triggers) {
    if (!pointers.some((p) => p.from === nodeId)) {
      errors.push({
        nodeId,
        code: 'trigger_not_connected',
        message: 'connect the trigger to the first step',
      });
    }
  }
  if (triggers.length > 0) {
    const reached = reachableFrom(triggers, pointers);
    for (const nodeId of ids) {
      if (!reached.has(nodeId)) {
        errors.push({ nodeId, code: 'unreachable', message: 'no path from the trigger leads here' });
      }
    }
  }
  for (const loop of waitlessLoops(ids, pointers)) {
    const message = waitlessLoopMessage(loop);
    errors.push(...loop.map((nodeId) => ({ nodeId, code: 'waitless_loop' as const, message })));
  }
  if (graph.settings) {
    const parsed = journeySettingsSchema.safeParse(graph.settings);
    if (!parsed.success) {
      errors.push(...parsed.error.issues.map((issue) => issueError(issue, issue.path, 'invalid_settings')));
    }
  }
  return { ok: errors.length === 0, errors };
}

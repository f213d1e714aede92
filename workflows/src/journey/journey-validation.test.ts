import { describe, expect, it } from 'vitest';
import type { CanvasGraph } from './canvas-graph';
import { definitionToCanvas } from './journey-convert';
import { validateCanvas, validateDefinition } from './journey-validation';
import { onboardingJourney } from './test-journeys';

const canvas = () => definitionToCanvas(onboardingJourney());
const errorsOf = (graph: CanvasGraph) => validateCanvas(graph).errors;
const dataOf = (graph: CanvasGraph, id: string) => graph.nodes.find((n) => n.id === id)!.data as any;
const addNode = (graph: CanvasGraph, id: string, type: string, data: Record<string, unknown> = {}) =>
  graph.nodes.push({ id, type, position: { x: 0, y: 0 }, data });
const addEdge = (graph: CanvasGraph, id: string, source: string, target: string, sourceHandle?: string) =>
  graph.edges.push({ id, source, target, sourceHandle });

describe('validateCanvas', () => {
  it('accepts a complete journey', () => {
    expect(validateCanvas(canvas())).toEqual({ ok: true, errors: [] });
  });

  it('needs a trigger, and only one', () => {
    const none = canvas();
    none.nodes = none.nodes.filter((n) => n.type !== 'trigger');
    none.edges = none.edges.filter((e) => e.source !== 'trigger');
    expect(errorsOf(none)).toEqual([{ code: 'no_trigger', message: expect.any(String) }]);

    const two = canvas();
    addNode(two, 'second', 'trigger', { kind: 'inactivity', days: 14 });
    addEdge(two, 'e-second', 'second', 'welcome');
    expect(errorsOf(two)).toEqual([
      {
        nodeId: 'trigger',
        code: 'multiple_triggers',
        message: 'a journey has exactly one trigger; this one has 2',
      },
      {
        nodeId: 'second',
        code: 'multiple_triggers',
        message: 'a journey has exactly one trigger; this one has 2',
      },
    ]);
  });

  it('needs the trigger connected, and nothing leading into it', () => {
    const loose = canvas();
    loose.edges = loose.edges.filter((e) => e.source !== 'trigger');
    const errors = errorsOf(loose);
    expect(errors[0]).toEqual({
      nodeId: 'trigger',
      code: 'trigger_not_connected',
      message: expect.any(String),
    });
    expect(errors.slice(1).map((e) => e.code)).toEqual(loose.nodes.slice(1).map(() => 'unreachable'));

    const into = canvas();
    addEdge(into, 'back', 'tell-sales', 'trigger');
    expect(errorsOf(into)).toEqual([
      {
        edgeId: 'back',
        nodeId: 'trigger',
        code: 'edge_into_trigger',
        message: 'nothing can lead into the trigger',
      },
    ]);
  });

  it('reports unknown node types, bad ids and duplicate ids on the node or edge', () => {
    const graph = canvas();
    addNode(graph, 'beam', 'teleport');
    addEdge(graph, 'to-beam', 'tell-sales', 'beam');
    addNode(graph, 'bad id', 'exit');
    addEdge(graph, 'to-bad', 'done', 'bad id');
    graph.nodes.push({ ...graph.nodes.find((n) => n.id === 'done')! });
    graph.edges.push({ ...graph.edges[1]! });
    expect(errorsOf(graph)).toEqual([
      {
        nodeId: 'beam',
        code: 'unknown_node_type',
        message: '"teleport" is neither the trigger nor a kind of step',
      },
      { nodeId: 'bad id', code: 'invalid_id', message: expect.stringContaining('step ids use 1–64 letters') },
      { nodeId: 'done', code: 'duplicate_id', message: 'another node has the id "done"' },
      { nodeId: 'done', edgeId: 'to-bad', code: 'unknown_output', message: 'an exit has no outputs' },
      { edgeId: graph.edges[1]!.id, code: 'duplicate_id', message: expect.any(String) },
      // The exit with a bad id is only reached through the exit's impossible edge.
      { nodeId: 'bad id', code: 'unreachable', message: expect.any(String) },
    ]);
  });

  it('maps configuration issues to the node, with the field path in the message', () => {
    const graph = canvas();
    dataOf(graph, 'cool-off').durationMs = 10;
    dataOf(graph, 'activated').paths[0].conditions[0].value = 'one';
    dataOf(graph, 'trigger').event = ' ';
    // A broken step still passes its prospects on: nothing after it is reported unreachable.
    expect(errorsOf(graph)).toEqual([
      { nodeId: 'trigger', code: 'invalid_config', message: 'event: an event name is required' },
      { nodeId: 'cool-off', code: 'invalid_config', message: 'durationMs: must be at least 1 second' },
      {
        nodeId: 'activated',
        code: 'invalid_config',
        message: 'paths[0].conditions[0].value: gte compares numbers: the value must be a number',
      },
    ]);
  });

  it('reports split percentages under their own code', () => {
    const graph = canvas();
    dataOf(graph, 'split').variants[1].percentage = 40;
    expect(errorsOf(graph)).toEqual([
      {
        nodeId: 'split',
        code: 'split_percentages',
        message: 'variants: percentages add up to 90%, not 100%',
      },
    ]);
  });

  it('reports settings out of bounds', () => {
    const graph = canvas();
    graph.settings = { ...graph.settings, maxSendsPerWeek: 0 };
    expect(errorsOf(graph)).toEqual([
      { code: 'invalid_settings', message: 'maxSendsPerWeek: must be at least 1' },
    ]);
  });

  it('reports edges whose ends do not exist', () => {
    const graph = canvas();
    addEdge(graph, 'to-ghost', 'tell-sales', 'ghost');
    addEdge(graph, 'from-ghost', 'ghost', 'done');
    expect(errorsOf(graph)).toEqual([
      {
        edgeId: 'to-ghost',
        nodeId: 'tell-sales',
        code: 'dangling_edge',
        message: 'this connection leads to a node that does not exist ("ghost")',
      },
      { edgeId: 'from-ghost', code: 'dangling_edge', message: expect.stringContaining('comes from') },
    ]);
  });

  it('reports edges from outputs a step does not have', () => {
    const graph = canvas();
    addEdge(graph, 'no-handle', 'activated', 'done');
    addEdge(graph, 'made-up', 'wait-upgrade', 'done', 'maybe');
    expect(errorsOf(graph)).toEqual([
      {
        edgeId: 'no-handle',
        nodeId: 'activated',
        code: 'unknown_output',
        message: 'connect from one of its outputs: engaged, at-risk, else',
      },
      {
        edgeId: 'made-up',
        nodeId: 'wait-upgrade',
        code: 'unknown_output',
        message: 'this step has no output "maybe"; connect from one of its outputs: matched, timeout',
      },
    ]);
  });

  it('reports a second edge out of the same output, with or without a handle', () => {
    const graph = canvas();
    addEdge(graph, 'again', 'welcome', 'done', 'next');
    addEdge(graph, 'implicit', 'welcome', 'done');
    addEdge(graph, 'else', 'activated', 'done', 'else');
    expect(errorsOf(graph)).toEqual([
      { edgeId: 'again', nodeId: 'welcome', code: 'duplicate_output', message: expect.any(String) },
      { edgeId: 'implicit', nodeId: 'welcome', code: 'duplicate_output', message: expect.any(String) },
    ]);
  });

  it('reports steps no path reaches', () => {
    const graph = canvas();
    addNode(graph, 'orphan', 'exit');
    expect(errorsOf(graph)).toEqual([
      { nodeId: 'orphan', code: 'unreachable', message: 'no path from the trigger leads here' },
    ]);
  });

  it('reports every step of a loop with no wait', () => {
    const graph = canvas();
    addEdge(graph, 'loop', 'tell-sales', 'office-hours');
    const message =
      "on a loop with no wait (office-hours → call-task → tell-sales → office-hours): add a duration wait or a wait's timeout";
    expect(errorsOf(graph)).toEqual(
      ['office-hours', 'call-task', 'tell-sales'].map((nodeId) => ({
        nodeId,
        code: 'waitless_loop',
        message,
      })),
    );
  });

  it('limits the number of steps', () => {
    const graph = canvas();
    for (let i = 0; i < 200; i++) {
      addNode(graph, `x${i}`, 'exit');
      addEdge(graph, `to-x${i}`, i === 0 ? 'tell-sales' : `x${i - 1}`, `x${i}`);
    }
    expect(errorsOf(graph).map((e) => e.code)).toContain('too_many_nodes');
  });
});

describe('validateDefinition', () => {
  it('returns the parsed definition', () => {
    expect(validateDefinition(onboardingJourney())).toEqual({ ok: true, definition: onboardingJourney() });
  });

  it('ties errors to step ids', () => {
    const def = onboardingJourney() as any;
    def.nodes['cool-off'].durationMs = -1;
    def.settings.quietHours.timezone.fallback = 'Nowhere';
    def.trigger.filters[0].op = 'equals';
    expect(validateDefinition(def)).toEqual({
      ok: false,
      errors: [
        {
          code: 'invalid_config',
          message: expect.stringMatching(/^trigger\.filters\[0\]\.op: must be one of eq/),
        },
        {
          code: 'invalid_settings',
          message: 'settings.quietHours.timezone.fallback: must be an IANA time zone such as Europe/Berlin',
        },
        { nodeId: 'cool-off', code: 'invalid_config', message: 'durationMs: must be at least 1 second' },
      ],
    });
    const orphaned = onboardingJourney();
    orphaned.nodes.orphan = { kind: 'exit', next: {} };
    expect(validateDefinition(orphaned)).toEqual({
      ok: false,
      errors: [{ nodeId: 'orphan', code: 'unreachable', message: 'no path from the trigger leads here' }],
    });
  });
});

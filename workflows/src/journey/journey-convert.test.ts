import { describe, expect, it } from 'vitest';
import type { CanvasGraph } from './canvas-graph';
import { canvasToDefinition, definitionToCanvas } from './journey-convert';
import { defaultJourneySettings, type JourneyDefinition } from './journey-schema';
import { validateCanvas } from './journey-validation';
import { onboardingJourney } from './test-journeys';

/** A canvas as React Flow saves it: handles null or absent where a step has one output, UI fields about. */
function drawnCanvas(): CanvasGraph {
  const at = { x: 10, y: 20 };
  return {
    nodes: [
      {
        id: 'start',
        type: 'trigger',
        position: at,
        data: { kind: 'stage_transition', from: 'any', to: 'evaluation' },
        selected: true,
        measured: { width: 240, height: 80 },
      },
      {
        id: 'n1',
        type: 'wait',
        position: at,
        data: { mode: 'duration', durationMs: 3_600_000, label: 'An hour' },
      },
      {
        id: 'n2',
        type: 'branch',
        position: at,
        data: {
          paths: [{ id: 'hot', match: 'all', conditions: [{ subject: 'risk', op: 'lt', value: 0.3 }] }],
        },
      },
      {
        id: 'n3',
        type: 'send_email',
        position: at,
        data: { content: { source: 'template', templateId: 'demo' } },
      },
      { id: 'n4', type: 'exit', position: at, data: {} },
    ],
    edges: [
      { id: 'xy-edge__start-n1', source: 'start', sourceHandle: null, target: 'n1', targetHandle: null },
      { id: 'e2', source: 'n1', target: 'n2', animated: true },
      { id: 'e3', source: 'n2', sourceHandle: 'hot', target: 'n3' },
      { id: 'e4', source: 'n2', sourceHandle: 'else', target: 'n4' },
    ],
    viewport: { x: 0, y: 0, zoom: 1 },
  };
}

const drawnDefinition: JourneyDefinition = {
  version: 1,
  trigger: { kind: 'stage_transition', from: 'any', to: 'evaluation' },
  settings: defaultJourneySettings,
  entryNodeId: 'n1',
  nodes: {
    n1: { kind: 'wait', mode: 'duration', durationMs: 3_600_000, label: 'An hour', next: { next: 'n2' } },
    n2: {
      kind: 'branch',
      paths: [{ id: 'hot', match: 'all', conditions: [{ subject: 'risk', op: 'lt', value: 0.3 }] }],
      next: { hot: 'n3', else: 'n4' },
    },
    n3: { kind: 'send_email', content: { source: 'template', templateId: 'demo' }, next: {} },
    n4: { kind: 'exit', next: {} },
  },
};

function definitionOf(graph: CanvasGraph): JourneyDefinition {
  const result = canvasToDefinition(graph);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.definition;
}

/** What a canvas means: the steps with their configuration, and the connections by output. */
function meaning(graph: CanvasGraph) {
  const trigger = graph.nodes.find((n) => n.type === 'trigger')!;
  const name = (id: string) => (id === trigger.id ? '(trigger)' : id);
  return {
    nodes: graph.nodes.map((n) => ({ id: name(n.id), type: n.type, data: n.data })),
    edges: graph.edges
      .map((e) => `${name(e.source)}:${e.sourceHandle ?? 'next'}->${name(e.target)}`)
      .sort((a, b) => a.localeCompare(b)),
  };
}

describe('canvasToDefinition', () => {
  it('turns a drawn canvas into its definition, with default settings', () => {
    expect(canvasToDefinition(drawnCanvas())).toEqual({ ok: true, definition: drawnDefinition });
  });

  it('returns the canvas errors rather than a definition', () => {
    const graph = drawnCanvas();
    graph.edges.push({ id: 'again', source: 'n1', target: 'n4' });
    const result = canvasToDefinition(graph);
    expect(result).toEqual({ ok: false, errors: validateCanvas(graph).errors });
    expect(result.ok || result.errors.map((e) => e.code)).toEqual(['duplicate_output']);
  });
});

describe('round trips', () => {
  it('canvasToDefinition(definitionToCanvas(d)) is d', () => {
    const def = onboardingJourney();
    expect(definitionOf(definitionToCanvas(def))).toEqual(def);
    expect(definitionOf(definitionToCanvas(drawnDefinition))).toEqual(drawnDefinition);
  });

  it('a canvas keeps its meaning through a definition and back', () => {
    const graph = drawnCanvas();
    const redrawn = definitionToCanvas(definitionOf(graph));
    expect(meaning(redrawn)).toEqual(meaning(graph));
    expect(definitionOf(redrawn)).toEqual(definitionOf(graph));
  });

  it('keeps a step named "trigger" apart from the trigger', () => {
    const def = onboardingJourney();
    def.nodes.trigger = { kind: 'exit', next: {} };
    def.nodes['tell-sales']!.next = { next: 'trigger' };
    const graph = definitionToCanvas(def);
    expect(graph.nodes[0]).toMatchObject({ id: 'trigger-2', type: 'trigger' });
    expect(definitionOf(graph)).toEqual(def);
  });
});

describe('definitionToCanvas layout', () => {
  const positions = (graph: CanvasGraph) => Object.fromEntries(graph.nodes.map((n) => [n.id, n.position]));

  it('puts each step one column past the longest path to it', () => {
    const at = positions(definitionToCanvas(onboardingJourney()));
    expect(at.trigger).toEqual({ x: 0, y: 0 });
    expect(at.activated).toEqual({ x: 4 * 320, y: 0 });
    // Reached straight from the branch and through the split's second arm: it goes after the longer way.
    expect(at['call-task']!.x).toBe(7 * 320);
    // The reminder loops back to the wait; that does not push the wait further right.
    expect(at['wait-upgrade']!.x).toBe(7 * 320);
    expect(at.reminder!.x).toBe(8 * 320);
  });

  it('stacks a column in the order the outputs come, centred', () => {
    const at = positions(definitionToCanvas(onboardingJourney(), { columnWidth: 100, rowHeight: 50 }));
    expect(at.tips).toEqual({ x: 600, y: -25 });
    expect(at['office-hours']).toEqual({ x: 600, y: 25 });
  });

  it('is deterministic', () => {
    expect(definitionToCanvas(onboardingJourney())).toEqual(definitionToCanvas(onboardingJourney()));
  });
});

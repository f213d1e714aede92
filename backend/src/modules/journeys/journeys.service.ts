import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CANVAS_TRIGGER_TYPE,
  SIGNALS,
  canvasGraphSchema,
  canvasToDefinition,
  diffDefinitions,
  type CanvasGraph,
  type JourneyChange,
  type JourneyControl,
  type JourneyDefinition,
  type ValidationError,
} from '@cairn/workflows';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DomainError } from '../../common/errors/domain-error';
import { differenceInterval } from '../../insights/rate-ratio';
import { IntelligenceService } from '../scoring/intelligence.service';
import { TemporalService } from '../temporal/temporal.module';
import { EmailTemplatesRepository } from './email-templates.repository';
import { JourneysRepository, type JourneyRow, type JourneyStatus } from './journeys.repository';

export type ControlAction = 'pause' | 'resume' | 'archive';

const FROM: Record<ControlAction, JourneyStatus[]> = {
  pause: ['active'],
  resume: ['paused'],
  archive: ['draft', 'active', 'paused'],
};
const TO: Record<ControlAction, JourneyStatus> = { pause: 'paused', resume: 'active', archive: 'archived' };
/** Signals in flight at once when a journey's state changes. */
const FAN_OUT = 16;

/** A new journey: just the trigger, for the marketer to configure and connect. */
export function starterDraft(): CanvasGraph {
  return {
    nodes: [
      {
        id: 'trigger',
        type: CANVAS_TRIGGER_TYPE,
        position: { x: 0, y: 0 },
        data: { kind: 'stage_transition', from: 'any', to: 'any' },
      },
    ],
    edges: [],
  };
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

export function controlEffect(action: ControlAction, inside: number): string {
  switch (action) {
    case 'pause':
      return `${people(inside)} inside wait at their current step until you resume; no one new enters.`;
    case 'resume':
      return `${people(inside)} inside go on from the step they were waiting at; new people enter again.`;
    case 'archive':
      return `${people(inside)} inside leave the journey now and get nothing more from it; no one new enters.`;
  }
}

/** Journeys as marketers build them: drafts saved as they edit, published into immutable versions. */
@Injectable()
export class JourneysService {
  private readonly log = new Logger('journeys');

  constructor(
    @Inject(JourneysRepository) private readonly repo: JourneysRepository,
    @Inject(EmailTemplatesRepository) private readonly templates: EmailTemplatesRepository,
    @Inject(TemporalService) private readonly temporal: TemporalService,
    @Inject(IntelligenceService) private readonly intelligence: IntelligenceService,
  ) {}

  list(workspaceId: string) {
    return this.repo.list(workspaceId);
  }

  async create(
    workspaceId: string,
    userId: string,
    input: { name: string; description?: string | null; draft?: unknown },
  ) {
    const draft = input.draft === undefined ? starterDraft() : parseGraph(input.draft);
    return this.repo.create(workspaceId, userId, input.name, input.description ?? null, draft);
  }

  async get(workspaceId: string, id: string) {
    const journey = await this.journey(workspaceId, id);
    const [versions, errors] = await Promise.all([
      this.repo.versions(id),
      this.draftErrors(workspaceId, journey.draft),
    ]);
    return { journey, versions, errors };
  }

  async saveDraft(
    workspaceId: string,
    id: string,
    input: { graph: unknown; baseRevision?: number; name?: string; description?: string | null },
  ) {
    const journey = await this.journey(workspaceId, id);
    if (journey.status === 'archived') {
      throw new DomainError(
        'journeys.invalid_state',
        'This journey is archived; its draft can no longer change.',
      );
    }
    const graph = parseGraph(input.graph);
    const saved = await this.repo.saveDraft(workspaceId, id, graph, input.baseRevision, {
      name: input.name,
      description: input.description,
    });
    if (!saved) {
      throw new DomainError(
        'journeys.draft_conflict',
        'Someone else saved this journey since you opened it. Reload to see their changes.',
      );
    }
    return { ...saved, errors: await this.draftErrors(workspaceId, graph) };
  }

  /** What publishing now would do: the errors that stop it, or the changes since the last version. */
  async previewPublish(workspaceId: string, id: string) {
    const journey = await this.journey(workspaceId, id);
    const compiled = await this.compile(workspaceId, journey.draft);
    const latest = await this.repo.latestVersion(id);
    if (!compiled.ok)
      return { ok: false, errors: compiled.errors, changes: [], nextVersion: (latest?.version ?? 0) + 1 };
    return {
      ok: true,
      errors: [],
      changes: latest
        ? diffDefinitions(latest.definition, compiled.definition)
        : firstVersionChanges(compiled.definition),
      nextVersion: (latest?.version ?? 0) + 1,
    };
  }

  async publish(workspaceId: string, id: string, userId: string) {
    const journey = await this.journey(workspaceId, id);
    if (journey.status === 'archived') {
      throw new DomainError(
        'journeys.invalid_state',
        'This journey is archived and cannot be published again.',
      );
    }
    const compiled = await this.compile(workspaceId, journey.draft);
    if (!compiled.ok) {
      throw new DomainError('journeys.invalid_draft', 'Fix the highlighted steps before publishing.', {
        errors: compiled.errors,
      });
    }
    return this.repo.transaction(async (em) => {
      const locked = (await this.repo.get(workspaceId, id, em, true))!;
      if (locked.draftRevision !== journey.draftRevision) {
        throw new DomainError(
          'journeys.draft_conflict',
          'The draft changed while publishing; publish again.',
        );
      }
      const latest = await this.repo.latestVersion(id, em);
      const version = await this.repo.insertVersion(
        em,
        { journeyId: id, workspaceId, version: (latest?.version ?? 0) + 1, userId },
        compiled.definition,
        locked.draft,
      );
      const changes: JourneyChange[] = latest
        ? diffDefinitions(latest.definition, compiled.definition)
        : firstVersionChanges(compiled.definition);
      return { version, previousVersion: latest?.version ?? null, changes };
    });
  }

  async control(workspaceId: string, id: string, action: ControlAction) {
    const journey = await this.journey(workspaceId, id);
    if (!FROM[action].includes(journey.status)) {
      throw new DomainError(
        'journeys.invalid_state',
        `A ${journey.status} journey cannot be ${action === 'archive' ? 'archived' : `${action}d`}.`,
      );
    }
    const inside = await this.repo.countInside(id);
    const seq = await this.repo.transaction((em) => this.repo.setStatus(em, id, TO[action]));
    const control: JourneyControl = { action: action === 'archive' ? 'exit' : action, seq };
    const targets = await this.repo.openWorkflows(id, action !== 'archive');
    const signalled = await this.fanOut(targets, control);
    return { status: TO[action], inside, signalled, effect: controlEffect(action, inside) };
  }

  async stats(workspaceId: string, id: string, versionId: string | null) {
    await this.journey(workspaceId, id);
    const [nodes, totals, actions] = await Promise.all([
      this.repo.nodeStats(id, versionId),
      this.repo.totals(id, versionId),
      this.repo.actionCounts(id, versionId),
    ]);
    const byNode = new Map(nodes.map((n) => [n.nodeId, { ...n, actions: {} as Record<string, number> }]));
    for (const a of actions) {
      const n = byNode.get(a.nodeId) ?? {
        nodeId: a.nodeId,
        entered: 0,
        waiting: 0,
        converted: 0,
        actions: {},
      };
      n.actions[a.status] = a.n;
      byNode.set(a.nodeId, n);
    }
    const treatment = { successes: totals.treatmentConverted, trials: totals.treatmentTrials };
    const control = { successes: totals.controlConverted, trials: totals.controlTrials };
    const rate = (p: { successes: number; trials: number }) => (p.trials ? p.successes / p.trials : null);
    const uplift = treatment.trials > 0 && control.trials > 0 ? differenceInterval(treatment, control) : null;
    return {
      nodes: [...byNode.values()],
      totals: { enrolled: totals.enrolled, inside: totals.inside, converted: totals.converted },
      holdout: {
        treatment: { enrolled: treatment.trials, converted: treatment.successes, rate: rate(treatment) },
        control: { enrolled: control.trials, converted: control.successes, rate: rate(control) },
        uplift,
        confidence: 0.95,
      },
    };
  }

  async version(workspaceId: string, id: string, versionId: string) {
    const v = await this.repo.version(workspaceId, id, versionId);
    if (!v) throw new DomainError('journeys.not_found', 'No such version of this journey.');
    return v;
  }

  private async journey(workspaceId: string, id: string): Promise<JourneyRow> {
    const j = await this.repo.get(workspaceId, id);
    if (!j) throw new DomainError('journeys.not_found', 'No such journey in this workspace.');
    return j;
  }

  /** The canvas errors plus what only the server knows (templates that do not exist, the safety gate). */
  private async draftErrors(workspaceId: string, graph: CanvasGraph): Promise<ValidationError[]> {
    const compiled = await this.compile(workspaceId, graph);
    return compiled.ok ? [] : compiled.errors;
  }

  private async compile(
    workspaceId: string,
    graph: CanvasGraph,
  ): Promise<{ ok: true; definition: JourneyDefinition } | { ok: false; errors: ValidationError[] }> {
    const result = canvasToDefinition(graph);
    const references = await this.referenceErrors(workspaceId, graph);
    if (!result.ok) return { ok: false, errors: [...result.errors, ...references] };
    if (references.length) return { ok: false, errors: references };
    const gate = await this.safetyGate(workspaceId, graph, result.definition);
    return gate ? { ok: false, errors: [gate] } : result;
  }

  /**
   * Acting on its own when risk rises past a threshold is allowed only where the active model has proved
   * precise enough there; otherwise the trigger says why (and what would make it pass).
   */
  private async safetyGate(
    workspaceId: string,
    graph: CanvasGraph,
    definition: JourneyDefinition,
  ): Promise<ValidationError | null> {
    const t = definition.trigger;
    if (t.kind !== 'risk_crossing' || t.direction !== 'up') return null;
    const gate = await this.intelligence.gate(workspaceId, t.threshold);
    if (gate.allowed) return null;
    return {
      nodeId: graph.nodes.find((n) => n.type === CANVAS_TRIGGER_TYPE)?.id,
      code: 'invalid_config',
      message: `threshold: ${gate.reason}`,
    };
  }

  private async referenceErrors(workspaceId: string, graph: CanvasGraph): Promise<ValidationError[]> {
    const errors: ValidationError[] = [];
    for (const node of graph.nodes) {
      const content =
        node.type === 'send_email'
          ? (node.data['content'] as { source?: string; templateId?: unknown })
          : null;
      if (content?.source !== 'template' || typeof content.templateId !== 'string') continue;
      if (!(await this.templates.get(workspaceId, content.templateId))) {
        errors.push({
          nodeId: node.id,
          code: 'invalid_config',
          message: 'content.templateId: there is no email template with this id in the workspace',
        });
      }
    }
    return errors;
  }

  private async fanOut(targets: { workflowId: string }[], control: JourneyControl): Promise<number> {
    let next = 0;
    let signalled = 0;
    const worker = async () => {
      while (next < targets.length) {
        const { workflowId } = targets[next++]!;
        try {
          await this.temporal.client.workflow.getHandle(workflowId).signal(SIGNALS.journeyControl, control);
          signalled++;
        } catch (e) {
          if (e instanceof WorkflowNotFoundError) await this.repo.markClosed(workflowId);
          else this.log.warn(`could not signal ${workflowId}: ${(e as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FAN_OUT, targets.length) }, worker));
    return signalled;
  }
}

function parseGraph(input: unknown): CanvasGraph {
  const parsed = canvasGraphSchema.safeParse(input);
  if (!parsed.success) {
    throw new DomainError(
      'validation.failed',
      'The canvas is not readable.',
      parsed.error.issues.map((i) => `graph.${i.path.join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}

function firstVersionChanges(def: JourneyDefinition): JourneyChange[] {
  return [
    { kind: 'trigger', summary: 'First version: the journey goes live' },
    ...Object.keys(def.nodes).map((nodeId) => ({
      kind: 'step_added' as const,
      nodeId,
      summary: `Added ${def.nodes[nodeId]!.label ?? nodeId}`,
    })),
  ];
}

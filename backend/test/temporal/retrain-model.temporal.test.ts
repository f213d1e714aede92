import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WORKFLOW_TYPES, type RetrainResult } from '@cairn/workflows';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitGbdt } from '../../src/intelligence/gbdt';
import { fitLogistic } from '../../src/intelligence/logistic-regression';
import { rocAuc } from '../../src/intelligence/metrics';
import { toJson } from '../../src/intelligence/serialization';
import { DEFAULT_SETTINGS } from '../../src/modules/scoring/intelligence-settings';
import { IntelligenceSettingsRepository } from '../../src/modules/scoring/intelligence-settings.repository';
import { IntelligenceService, retrainScheduleId } from '../../src/modules/scoring/intelligence.service';
import type { ModelMetrics } from '../../src/modules/scoring/model-metrics';
import { ModelsRepository } from '../../src/modules/scoring/models.repository';
import { TrainingService } from '../../src/modules/scoring/training.service';
import { insertPopulation, syntheticPopulation } from '../support/synthetic-population';
import { startTestWorker } from '../support/temporal';

const DAY = 86_400_000;
const GOAL = 'Order Completed';
// Behaviour spans the 30 days before each window, so windows a horizon apart do not overlap.
const HORIZON = 30;
let t: Awaited<ReturnType<typeof startTestWorker>>;
let workspaceId: string;
const now = new Date();
const pop = syntheticPopulation({
  size: 1200,
  seed: 7,
  windows: [new Date(now.getTime() - 2 * HORIZON * DAY), new Date(now.getTime() - HORIZON * DAY), now],
  goal: GOAL,
  horizonDays: HORIZON,
});

beforeAll(async () => {
  t = await startTestWorker();
  [{ id: workspaceId }] = await t.ds.query(`INSERT INTO workspaces (name) VALUES ('Retrain') RETURNING id`);
  await t.ctx.get(IntelligenceSettingsRepository).save(workspaceId, {
    ...DEFAULT_SETTINGS,
    goal: { kind: 'event', event: GOAL },
    horizonDays: HORIZON,
  });
  // Only what has happened: conversions after now are the future the online scores are judged against.
  await insertPopulation(t.ds, workspaceId, pop, now);
  await t.ds.query(`UPDATE profiles SET last_seen_at = now() WHERE workspace_id = $1`, [workspaceId]);
}, 120_000);
afterAll(() => t?.close());

/** Stores a hand-made model as the active one, for the candidate to be compared with. */
async function activate(kind: 'random' | 'memorised') {
  const settings = await t.ctx.get(IntelligenceSettingsRepository).get(workspaceId);
  const evalSet = await t.ctx
    .get(TrainingService)
    .labelledSet(workspaceId, new Date(now.getTime() - HORIZON * DAY), settings);
  const fit = (y: Uint8Array) =>
    kind === 'random'
      ? // Trained on coin flips: ranks people no better than chance.
        fitLogistic(
          evalSet.x,
          Uint8Array.from(y, (_, i) => ((i * 2654435761) % 7 < 3 ? 1 : 0)),
        )
      : // Grown deep on the very window it will be judged on: it has seen the answers.
        fitGbdt(evalSet.x, y, {
          numTrees: 300,
          maxLeaves: 63,
          minSamplesLeaf: 1,
          learningRate: 0.3,
          earlyStoppingRounds: 0,
        }).model;
  const models = t.ctx.get(ModelsRepository);
  const { id } = await models.addCandidate(
    workspaceId,
    {
      features: [...evalSet.x.names],
      risk: toJson({ model: fit(evalSet.dropped) }),
      conversion: toJson({ model: fit(evalSet.converted) }),
    },
    { reference: [] } as unknown as ModelMetrics,
  );
  await models.decide(workspaceId, id, true, `hand-made (${kind})`, {
    reference: [],
  } as unknown as ModelMetrics);
  return id;
}

async function retrain(
  id: string,
): Promise<{ result: RetrainResult; handle: ReturnType<typeof t.client.workflow.getHandle> }> {
  const handle = await t.client.workflow.start(WORKFLOW_TYPES.retrainModel, {
    taskQueue: t.taskQueue,
    workflowId: id,
    args: [{ workspaceId }],
  });
  return { result: (await handle.result()) as RetrainResult, handle };
}

describe('retraining workflow', () => {
  it('promotes a candidate better than the active model, rescores everyone, and the online scores rank as well as the truth', async () => {
    const weak = await activate('random');
    const { result, handle } = await retrain(`retrain-better-${workspaceId}`);
    expect(result.outcome).toBe('promoted');
    expect(result.message).toMatch(/not worse than the active model/);

    const models: { id: string; status: string }[] = await t.ds.query(
      `SELECT id, status FROM models WHERE workspace_id = $1 ORDER BY version`,
      [workspaceId],
    );
    expect(models).toEqual([
      { id: weak, status: 'retired' },
      { id: result.modelId, status: 'active' },
    ]);

    // Everyone not yet converted was rescored with the new model; their stage and reasons are stored.
    const scored: { profile_id: string; conversion: number; reasons: string[]; stage: string }[] =
      await t.ds.query(
        `SELECT s.profile_id, s.conversion, s.reasons, st.stage FROM profile_scores s
         JOIN profile_stages st ON st.profile_id = s.profile_id
        WHERE s.workspace_id = $1 AND s.model_id = $2`,
        [workspaceId, result.modelId],
      );
    expect(result.rescored).toBe(pop.people.length);
    expect(scored.length).toBe(pop.people.length);
    expect(scored.some((s) => s.reasons.length > 0 && /pricing|active|actions/i.test(s.reasons[0]!))).toBe(
      true,
    );

    // Judged on what happens after now (never stored): as good as ranking by the true propensity.
    const before = new Set([...pop.convertedIn[0]!, ...pop.convertedIn[1]!]);
    const future = scored.filter((s) => !before.has(s.profile_id));
    const truth = new Map(pop.people.map((p) => [p.id, p.p]));
    const y = future.map((s) => (pop.convertedIn[2]!.has(s.profile_id) ? 1 : 0));
    const modelAuc = rocAuc(
      future.map((s) => s.conversion),
      y,
    );
    const trueAuc = rocAuc(
      future.map((s) => truth.get(s.profile_id)!),
      y,
    );
    expect(trueAuc).toBeGreaterThan(0.7);
    expect(Math.abs(modelAuc - trueAuc)).toBeLessThanOrEqual(0.02);

    if (process.env['CAIRN_RECORD_HISTORIES'] === '1') {
      const history = await handle.fetchHistory();
      await writeFile(join(__dirname, '../fixtures/histories/retrain-model.json'), historyToJSON(history));
    }
  });

  it('refuses a candidate worse than the active model and keeps the active one', async () => {
    const strong = await activate('memorised');
    const { result } = await retrain(`retrain-worse-${workspaceId}`);
    expect(result.outcome).toBe('rejected');
    expect(result.message).toMatch(/this version is worse/);
    expect(result.rescored).toBe(0);
    const statuses: { status: string; id: string }[] = await t.ds.query(
      `SELECT id, status FROM models WHERE workspace_id = $1 AND status IN ('active', 'rejected')`,
      [workspaceId],
    );
    expect(statuses).toEqual(
      expect.arrayContaining([
        { id: strong, status: 'active' },
        { id: result.modelId, status: 'rejected' },
      ]),
    );
  });

  it('has a weekly schedule per workspace that fires the workflow, and follows an edited cron', async () => {
    const intelligence = t.ctx.get(IntelligenceService);
    expect(await intelligence.ensureAllSchedules()).toBeGreaterThanOrEqual(1);
    const schedule = t.client.schedule.getHandle(retrainScheduleId(workspaceId));
    try {
      const described = await schedule.describe();
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPES.retrainModel,
      });
      expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }] });

      await intelligence.saveSettings(workspaceId, {
        ...(await intelligence.getSettings(workspaceId)),
        retrainCron: '30 4 * * 2',
      });
      // The schedule follows in the background.
      let hour: unknown;
      for (let i = 0; i < 50 && hour !== 4; i++) {
        hour = (await schedule.describe()).spec.calendars?.[0]?.hour?.[0]?.start;
        if (hour !== 4) await new Promise((r) => setTimeout(r, 100));
      }
      expect((await schedule.describe()).spec.calendars?.[0]).toMatchObject({
        hour: [{ start: 4, end: 4, step: 1 }],
        dayOfWeek: [{ start: 'TUESDAY', end: 'TUESDAY', step: 1 }],
      });

      const versions = (
        await t.ds.query(`SELECT count(*)::int AS n FROM models WHERE workspace_id = $1`, [workspaceId])
      )[0].n;
      await schedule.trigger();
      let workflowId: string | undefined;
      for (let i = 0; i < 100 && !workflowId; i++) {
        workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId;
        if (!workflowId) await new Promise((r) => setTimeout(r, 100));
      }
      expect(workflowId).toBeDefined();
      const fired = (await t.client.workflow.getHandle(workflowId!).result()) as RetrainResult;
      expect(['promoted', 'rejected']).toContain(fired.outcome);
      const after = (
        await t.ds.query(`SELECT count(*)::int AS n FROM models WHERE workspace_id = $1`, [workspaceId])
      )[0].n;
      expect(after).toBe(versions + 1);
    } finally {
      await schedule.delete();
    }
  });
});

describe('stage discovery on the synthetic population', () => {
  it('suggests 3–5 stages ordered by how often their people converted, pricing-heavy people at the top', async () => {
    const found = await t.ctx.get(IntelligenceService).discover(workspaceId, now);
    expect(found.suggestions.length).toBeGreaterThanOrEqual(3);
    expect(found.suggestions.length).toBeLessThanOrEqual(5);
    const rates = found.suggestions.map((s) => s.conversionRate);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    expect(rates.at(-1)! - rates[0]!).toBeGreaterThan(0.2);
    expect(found.suggestions.at(-1)!.typical.join(' ')).toMatch(/pricing|evaluation/i);
    expect(found.suggestions.reduce((a, s) => a + s.size, 0)).toBe(found.people);
  });
});

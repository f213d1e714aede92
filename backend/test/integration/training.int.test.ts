import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/intelligence/metrics';
import { DEFAULT_STAGES } from '../../src/modules/scoring/stage-rules';
import { TrainingService } from '../../src/modules/scoring/training.service';
import { startTestApi, type TestApi } from '../support/api';
import { insertPopulation, syntheticPopulation } from '../support/synthetic-population';

let api: TestApi;
let workspaceId: string;
const DAY = 86_400_000;
const T1 = new Date('2026-10-01T00:00:00Z');
const T2 = new Date('2026-11-01T00:00:00Z');
const GOAL = 'Order Completed';

beforeAll(async () => {
  api = await startTestApi();
  [{ id: workspaceId }] = await api.ds.query(
    `INSERT INTO workspaces (name) VALUES ('Synthetic') RETURNING id`,
  );
});
afterAll(() => api?.close());

describe('training on a synthetic population with known propensities', () => {
  it('scores a later window within 0.02 AUC of the true propensities', async () => {
    const pop = syntheticPopulation({ size: 1200, seed: 42, windows: [T1, T2], goal: GOAL, horizonDays: 14 });
    await insertPopulation(api.ds, workspaceId, pop);
    const training = api.app.get(TrainingService);
    const spec = { goal: { kind: 'event' as const, event: GOAL }, horizonDays: 14, stages: DEFAULT_STAGES };
    const result = await training.trainAndEvaluate(workspaceId, T1, T2, spec);
    const propensity = new Map<string, number>(pop.people.map((x) => [x.id, x.p]));
    const trueAuc = rocAuc(
      result.test.profileIds.map((id) => propensity.get(id)!),
      result.test.converted,
    );
    const conversion = result.reports.conversion;
    // People who converted in the first window are not scored again in the second.
    expect(conversion.rows).toBe(pop.people.length - pop.convertedIn[0]!.size);
    expect(conversion.positives).toBe(pop.convertedIn[1]!.size);
    expect(conversion.positives).toBeGreaterThan(50);
    expect(trueAuc).toBeGreaterThan(0.7);
    expect(Math.abs(conversion.auc - trueAuc)).toBeLessThanOrEqual(0.02);
    expect(conversion.brier).toBeLessThan(0.25);
    // Drop-off: neither converted nor moved to a later stage; with these stages, the converters never drop.
    const dropped = result.test.dropped;
    result.test.converted.forEach((c, i) => c && expect(dropped[i]).toBe(0));
    expect(result.reports.risk.auc).toBeGreaterThan(0.6);
    await expect(
      training.trainAndEvaluate(workspaceId, T1, new Date(T1.getTime() + 5 * DAY), spec),
    ).rejects.toThrow(/after the training labels/);
  }, 120_000);
});

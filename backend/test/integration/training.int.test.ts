import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rocAuc } from '../../src/intelligence/metrics';
import { EventPartitions } from '../../src/modules/events/event-partitions';
import { TrainingService } from '../../src/modules/scoring/training.service';
import { startTestApi, type TestApi } from '../support/api';

let api: TestApi;
let workspaceId: string;
const DAY = 86_400_000;
const T1 = new Date('2026-10-01T00:00:00Z');
const T2 = new Date('2026-11-01T00:00:00Z');
const GOAL = 'Order Completed';

/** A seeded generator, so the synthetic population is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const poisson = (lambda: number) => {
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const u = next();
    while (u > cdf) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  };
  return { next, poisson };
}

beforeAll(async () => {
  api = await startTestApi();
  [{ id: workspaceId }] = await api.ds.query(
    `INSERT INTO workspaces (name) VALUES ('Synthetic') RETURNING id`,
  );
});
afterAll(() => api?.close());

describe('training on a synthetic population with known propensities', () => {
  it('scores a later window within 0.02 AUC of the true propensities', async () => {
    const r = rng(42);
    const people = Array.from({ length: 1200 }, () => ({ id: randomUUID(), p: r.next() ** 2 }));
    await api.ds.query(
      `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at) SELECT id, $2, now(), now() FROM unnest($1::uuid[]) AS id`,
      [people.map((x) => x.id), workspaceId],
    );
    await new EventPartitions(api.ds).ensureFor([
      new Date('2026-08-15T00:00:00Z'),
      new Date('2026-09-15T00:00:00Z'),
      T1,
      T2,
      new Date('2026-11-20T00:00:00Z'),
    ]);
    const ev: {
      profile: string;
      at: Date;
      canonical: string;
      category: string | null;
      intent: string | null;
    }[] = [];
    const converted = new Set<string>();
    for (const window of [T1, T2]) {
      for (const person of people) {
        if (converted.has(person.id)) continue;
        // Behaviour reveals propensity (pricing interest) next to noise every person shows (docs).
        for (let k = r.poisson(2 + 200 * person.p); k > 0; k--) {
          ev.push({
            profile: person.id,
            at: new Date(window.getTime() - r.next() * 30 * DAY),
            canonical: 'Viewed Pricing',
            category: 'pricing',
            intent: 'evaluation',
          });
        }
        for (let k = r.poisson(3); k > 0; k--) {
          ev.push({
            profile: person.id,
            at: new Date(window.getTime() - r.next() * 30 * DAY),
            canonical: 'Read Docs',
            category: 'docs',
            intent: 'educational',
          });
        }
        if (r.next() < person.p) {
          converted.add(person.id);
          ev.push({
            profile: person.id,
            at: new Date(window.getTime() + r.next() * 13 * DAY),
            canonical: GOAL,
            category: 'checkout',
            intent: 'purchase',
          });
        }
      }
    }
    await api.ds.query(
      `INSERT INTO events (workspace_id, message_id, profile_id, type, canonical_event, category, intent, "timestamp", received_at)
       SELECT $1, gen_random_uuid()::text, p, 'track', c, cat, i, t, now()
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS u(p, c, cat, i, t)`,
      [
        workspaceId,
        ev.map((e) => e.profile),
        ev.map((e) => e.canonical),
        ev.map((e) => e.category),
        ev.map((e) => e.intent),
        ev.map((e) => e.at),
      ],
    );

    const training = api.app.get(TrainingService);
    const spec = { goalEvent: GOAL, horizonDays: 14 };
    const result = await training.trainAndEvaluate(workspaceId, T1, T2, spec);
    const propensity = new Map<string, number>(people.map((x) => [x.id, x.p]));
    const trueAuc = rocAuc(
      result.test.profileIds.map((id) => propensity.get(id)!),
      result.test.y,
    );
    // People who converted in the first window are not scored again in the second.
    expect(result.evaluation.rows).toBe(
      people.length -
        [...converted].filter((id) => ev.some((e) => e.profile === id && e.canonical === GOAL && e.at < T2))
          .length,
    );
    expect(result.evaluation.positives).toBeGreaterThan(50);
    expect(trueAuc).toBeGreaterThan(0.7);
    expect(Math.abs(result.evaluation.auc - trueAuc)).toBeLessThanOrEqual(0.02);
    expect(result.evaluation.brier).toBeLessThan(0.25);
    await expect(
      training.trainAndEvaluate(workspaceId, T1, new Date(T1.getTime() + 5 * DAY), spec),
    ).rejects.toThrow(/after the training labels/);
  });
});

/**
 * The one-command demo has a living journey map: on its first start the demo workspace gets four months of the
 * seeded company's behaviour through the real pipeline (a Segment source, the Segment client, the tracking API),
 * its people are scored as of the times their behaviour happened, so stage transitions are spread over the
 * history, and a first model is trained. The people are the CRM emulators' people (one seed).
 */
import { generateSeed } from '@cairn/sandbox';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoHistoryLoaded, type DemoHistoryFigures } from './support/demo-history';

const DAY = 86_400_000;
let db: Client;
let figures: DemoHistoryFigures;
let workspaceId = '';
let sourceId = '';

beforeAll(async () => {
  figures = await demoHistoryLoaded();
  process.stderr.write(`[demo history e2e] ${JSON.stringify(figures)}\n`);
  db = new Client({ connectionString: inject('databaseUrl') });
  await db.connect();
  [{ id: workspaceId }] = (await db.query(`SELECT id FROM workspaces WHERE name = 'Demo workspace'`)).rows;
  const sources = (
    await db.query(`SELECT id FROM segment_sources WHERE workspace_id = $1 AND name = 'Demo website'`, [
      workspaceId,
    ])
  ).rows;
  expect(sources).toHaveLength(1);
  sourceId = sources[0].id;
}, 200_000);

afterAll(async () => {
  await db?.end();
});

/** One row of numbers about the demo source's people. */
async function one<T extends string>(sql: string): Promise<Record<T, number>> {
  const { rows } = await db.query(
    `WITH people AS (
       SELECT DISTINCT e.profile_id AS id FROM events e JOIN profiles p ON p.id = e.profile_id
        WHERE e.workspace_id = $1 AND e.source_id = $2 AND p.merged_into IS NULL)
     ${sql}`,
    [workspaceId, sourceId],
  );
  return rows[0];
}

describe('the demo history', () => {
  it('arrives through the tracking API with its historical times', async () => {
    const { events, people, oldest, newest } = await one<'events' | 'people' | 'oldest' | 'newest'>(
      `SELECT count(*)::int AS events, count(DISTINCT profile_id)::int AS people,
              extract(epoch FROM now() - min("timestamp")) * 1000 AS oldest,
              extract(epoch FROM now() - max("timestamp")) * 1000 AS newest
         FROM events WHERE workspace_id = $1 AND source_id = $2`,
    );
    expect(events).toBe(figures.events);
    expect(events).toBeGreaterThan(2_000);
    expect(people).toBe(figures.people);
    expect(people).toBeGreaterThan(200);
    // Retraining needs two windows of twice the 30-day horizon: the history reaches further back than that.
    expect(Number(oldest)).toBeGreaterThan(120 * DAY);
    expect(Number(newest)).toBeLessThan(2 * DAY);
  });

  it('is the CRM emulators’ company: the same people, by email', async () => {
    const seeded = generateSeed({ seed: 'cairn-demo', accounts: 40 }).people.map((p) => p.email);
    const { known } = (
      await db.query(
        `SELECT count(DISTINCT value)::int AS known FROM identities
          WHERE workspace_id = $1 AND kind = 'email' AND value = ANY($2::text[])`,
        [workspaceId, seeded],
      )
    ).rows[0];
    expect(known).toBe(seeded.length);
  });

  it('puts everyone on a stage, with transitions spread over the history', async () => {
    const { people, staged, reached, transitions, beforeLastMonth, oldest } = await one<
      'people' | 'staged' | 'reached' | 'transitions' | 'beforeLastMonth' | 'oldest'
    >(
      `SELECT (SELECT count(*)::int FROM people) AS people,
              (SELECT count(*)::int FROM profile_stages s JOIN people ON people.id = s.profile_id) AS staged,
              count(DISTINCT t.to_stage)::int AS reached,
              count(*)::int AS transitions,
              count(*) FILTER (WHERE t.at < now() - interval '30 days')::int AS "beforeLastMonth",
              extract(epoch FROM now() - min(t.at)) * 1000 AS oldest
         FROM stage_transitions t JOIN people ON people.id = t.profile_id`,
    );
    expect(staged).toBe(people);
    expect(reached).toBeGreaterThanOrEqual(3);
    // Tests that ran before this one may have moved some people on since (a CRM connected, a retraining).
    expect(transitions).toBeGreaterThanOrEqual(figures.transitions);
    expect(transitions).toBeGreaterThan(people);
    // Scored as of when the behaviour happened, not when it was loaded.
    expect(beforeLastMonth / transitions).toBeGreaterThan(0.5);
    expect(Number(oldest)).toBeGreaterThan(100 * DAY);
  });

  it('trains a first model, which scores the prospects', async () => {
    expect(figures.model.outcome, figures.model.message).toBe('promoted');
    const { rows: models } = await db.query(
      `SELECT version, (metrics->'risk'->>'auc')::float8 AS auc FROM models
        WHERE workspace_id = $1 AND status = 'active'`,
      [workspaceId],
    );
    expect(models).toHaveLength(1);
    expect(models[0].auc).toBeGreaterThan(0.6);
    const { scored, people } = await one<'scored' | 'people'>(
      `SELECT count(*) FILTER (WHERE s.risk IS NOT NULL)::int AS scored, count(*)::int AS people
         FROM people LEFT JOIN profile_scores s ON s.profile_id = people.id`,
    );
    // Rescoring after promotion covers everyone seen in the last 90 days.
    expect(scored).toBeGreaterThan(people / 2);
  });
});

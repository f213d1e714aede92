import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { EventPartitions } from '../../src/modules/events/event-partitions';

const DAY = 86_400_000;

/** A seeded generator, so the synthetic population is the same on every run. */
export function seededRandom(seed: number) {
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

export interface SyntheticEvent {
  profile: string;
  at: Date;
  canonical: string;
  category: string;
  intent: string;
}

export interface SyntheticPopulation {
  people: { id: string; p: number }[];
  events: SyntheticEvent[];
  /** Who converted in each window, in window order. */
  convertedIn: Set<string>[];
}

/**
 * People whose true conversion propensity is known: before each window's end they show behaviour that reveals
 * it (pricing views) next to noise everyone shows (docs), and within `horizonDays` after it they convert with
 * that probability. A model can at best rank them as their propensity does.
 */
export function syntheticPopulation(opts: {
  size: number;
  seed: number;
  windows: Date[];
  goal: string;
  horizonDays: number;
}): SyntheticPopulation {
  const r = seededRandom(opts.seed);
  const people = Array.from({ length: opts.size }, () => ({ id: randomUUID(), p: r.next() ** 2 }));
  const events: SyntheticEvent[] = [];
  const converted = new Set<string>();
  const convertedIn: Set<string>[] = [];
  for (const window of opts.windows) {
    const now = new Set<string>();
    for (const person of people) {
      if (converted.has(person.id)) continue;
      const before = (d: number) => new Date(window.getTime() - r.next() * d * DAY);
      for (let k = r.poisson(2 + 200 * person.p); k > 0; k--) {
        events.push({
          profile: person.id,
          at: before(30),
          canonical: 'Viewed Pricing',
          category: 'pricing',
          intent: 'evaluation',
        });
      }
      for (let k = r.poisson(3); k > 0; k--) {
        events.push({
          profile: person.id,
          at: before(30),
          canonical: 'Read Docs',
          category: 'docs',
          intent: 'educational',
        });
      }
      if (r.next() < person.p) {
        converted.add(person.id);
        now.add(person.id);
        events.push({
          profile: person.id,
          at: new Date(window.getTime() + r.next() * (opts.horizonDays - 1) * DAY),
          canonical: opts.goal,
          category: 'checkout',
          intent: 'purchase',
        });
      }
    }
    convertedIn.push(now);
  }
  return { people, events, convertedIn };
}

/** Stores the population's profiles and events (only those before `until`, when given). */
export async function insertPopulation(
  ds: DataSource,
  workspaceId: string,
  pop: SyntheticPopulation,
  until?: Date,
): Promise<void> {
  const events = until ? pop.events.filter((e) => e.at < until) : pop.events;
  await ds.query(
    `INSERT INTO profiles (id, workspace_id, first_seen_at, last_seen_at)
     SELECT id, $2, now(), now() FROM unnest($1::uuid[]) AS id`,
    [pop.people.map((x) => x.id), workspaceId],
  );
  await new EventPartitions(ds).ensureFor(events.map((e) => e.at));
  await ds.query(
    `INSERT INTO events (workspace_id, message_id, profile_id, type, canonical_event, category, intent, "timestamp", received_at)
     SELECT $1, gen_random_uuid()::text, p, 'track', c, cat, i, t, now()
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS u(p, c, cat, i, t)`,
    [
      workspaceId,
      events.map((e) => e.profile),
      events.map((e) => e.canonical),
      events.map((e) => e.category),
      events.map((e) => e.intent),
      events.map((e) => e.at),
    ],
  );
}

import { describe, expect, it } from 'vitest';
import { planReplay } from './demo-history';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 15, 30);
const ago = (days: number, hours = 0) => NOW - days * DAY - hours * HOUR;

describe('planReplay', () => {
  const events = [
    { profileId: 'a', at: ago(100, 3.5) + 60_000 },
    { profileId: 'a', at: ago(100, 3.5) + 20 * 60_000 },
    { profileId: 'b', at: ago(100, 3.5) + 40 * 60_000 },
    { profileId: 'a', at: ago(40) },
    { profileId: 'c', at: ago(2) },
    { profileId: 'c', at: NOW + HOUR }, // from the future: ignored
  ];
  const plan = planReplay(events, NOW);

  it('scores everyone with events in an hour as of the last event of that hour, oldest first', () => {
    expect(plan[0]).toEqual({ at: ago(100, 3.5) + 40 * 60_000, profileIds: ['a', 'b'] });
    const times = plan.map((s) => s.at);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(plan.find((s) => s.at === ago(40))?.profileIds).toEqual(['a']);
  });

  it('re-scores each midnight whoever is still inside the 90-day look-back, and everyone now', () => {
    const midnights = plan.filter((s) => s.at % DAY === 0);
    expect(midnights.length).toBeGreaterThan(95);
    const onDay = (days: number) =>
      midnights.find((s) => s.at === Math.ceil(ago(days) / DAY) * DAY)?.profileIds ?? [];
    expect(onDay(99)).toEqual(['a', 'b']);
    expect(onDay(5)).toEqual(['a']); // b's last event is more than 91 days back
    expect(onDay(1)).toEqual(['a', 'c']);
    expect(plan.at(-1)).toEqual({ at: NOW, profileIds: ['a', 'b', 'c'] });
    expect(plan.every((s) => s.at <= NOW)).toBe(true);
  });
});

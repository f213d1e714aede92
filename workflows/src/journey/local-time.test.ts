import { describe, expect, it } from 'vitest';
import type { Weekday } from './journey-schema';
import {
  isTimeZone,
  nextSendTime,
  nextWindowStart,
  resolveTimeZone,
  type LocalTimeWindow,
} from './local-time';

const at = (iso: string) => Date.parse(iso);
const EVERY_DAY: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const berlin = (startHour: number, endHour: number, days = EVERY_DAY): LocalTimeWindow => ({
  startHour,
  endHour,
  days,
  timezone: { source: 'fixed', zone: 'Europe/Berlin' },
});

// In 2025 Berlin moves to summer time on 30 March (02:00 → 03:00) and back on 26 October (03:00 → 02:00).
describe('nextWindowStart across daylight-saving changes in Europe/Berlin', () => {
  it('opens at 09:00 local on the morning the clocks go forward, an hour earlier in UTC', () => {
    expect(nextWindowStart(at('2025-03-29T19:00:00Z'), berlin(9, 17))).toBe(at('2025-03-30T07:00:00Z'));
  });

  it('opens at 09:00 local on the morning the clocks go back, an hour later in UTC', () => {
    expect(nextWindowStart(at('2025-10-25T18:00:00Z'), berlin(9, 17))).toBe(at('2025-10-26T08:00:00Z'));
  });

  it('opens a window starting in the skipped hour when the clocks jump', () => {
    expect(nextWindowStart(at('2025-03-29T23:00:00Z'), berlin(2, 5))).toBe(at('2025-03-30T01:00:00Z'));
  });

  it('opens a window starting in the repeated hour at its first occurrence', () => {
    expect(nextWindowStart(at('2025-10-25T22:00:00Z'), berlin(2, 4))).toBe(at('2025-10-26T00:00:00Z'));
  });

  it('skips to the next allowed weekday across the change', () => {
    const weekdays = berlin(9, 17, ['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(nextWindowStart(at('2025-03-28T17:00:00Z'), weekdays)).toBe(at('2025-03-31T07:00:00Z'));
  });
});

describe('nextWindowStart', () => {
  it('returns now inside the window, and the next opening at its end', () => {
    expect(nextWindowStart(at('2025-03-31T10:00:00Z'), berlin(9, 17))).toBe(at('2025-03-31T10:00:00Z'));
    expect(nextWindowStart(at('2025-03-31T15:00:00Z'), berlin(9, 17))).toBe(at('2025-04-01T07:00:00Z'));
  });

  it('counts the early hours as part of the window that opened the evening before', () => {
    const saturdayNight = berlin(22, 6, ['sat']);
    expect(nextWindowStart(at('2025-03-30T01:30:00Z'), saturdayNight)).toBe(at('2025-03-30T01:30:00Z'));
    expect(nextWindowStart(at('2025-03-30T04:00:00Z'), saturdayNight)).toBe(at('2025-04-05T20:00:00Z'));
  });

  it("uses the prospect's zone from a trait, or the fallback when it is not a zone", () => {
    const local: LocalTimeWindow = {
      ...berlin(9, 17),
      timezone: { source: 'trait', trait: 'tz', fallback: 'Europe/Berlin' },
    };
    const now = at('2025-03-29T19:00:00Z');
    expect(nextWindowStart(now, local, { tz: 'America/New_York' })).toBe(now);
    expect(nextWindowStart(now, local, { tz: 'Mars/Olympus' })).toBe(at('2025-03-30T07:00:00Z'));
    expect(nextWindowStart(now, local)).toBe(at('2025-03-30T07:00:00Z'));
  });
});

describe('time zones', () => {
  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
    expect(resolveTimeZone({ source: 'trait', trait: 'tz', fallback: 'UTC' }, { tz: 42 })).toBe('UTC');
  });
});

describe('nextSendTime', () => {
  const quiet = { startHour: 21, endHour: 8, timezone: { source: 'fixed' as const, zone: 'Europe/Berlin' } };

  it('holds messages until quiet hours end', () => {
    expect(nextSendTime(at('2025-03-29T21:30:00Z'), quiet)).toBe(at('2025-03-30T06:00:00Z'));
    expect(nextSendTime(at('2025-03-30T05:59:00Z'), quiet)).toBe(at('2025-03-30T06:00:00Z'));
  });

  it('sends at once outside quiet hours or without them', () => {
    expect(nextSendTime(at('2025-03-30T06:00:00Z'), quiet)).toBe(at('2025-03-30T06:00:00Z'));
    expect(nextSendTime(at('2025-03-29T23:00:00Z'), null)).toBe(at('2025-03-29T23:00:00Z'));
  });
});

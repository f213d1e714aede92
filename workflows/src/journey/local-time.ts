import type { QuietHours, TimeZoneSource, Weekday } from './journey-schema';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEKDAYS_FROM_SUNDAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Hours of the day on some days of the week, on a prospect's clock or a fixed one. */
export interface LocalTimeWindow {
  /** 0–23; the window opens on the hour. */
  startHour: number;
  /** 0–23; at or before `startHour` the window runs past midnight into the next day. */
  endHour: number;
  /** The days the window opens on. */
  days: readonly Weekday[];
  timezone: TimeZoneSource;
}

// Building a formatter is costly and these are pure, so one per zone is kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone to use for a prospect: a trait holding an unknown zone falls back rather than failing the journey. */
export function resolveTimeZone(
  source: TimeZoneSource,
  traits: Readonly<Record<string, unknown>> = {},
): string {
  if (source.source === 'fixed') return source.zone;
  const value = traits[source.trait];
  return typeof value === 'string' && isTimeZone(value) ? value : source.fallback;
}

/** The wall clock at `ms` in `zone`, written as if it were UTC. */
function wallClock(ms: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(ms)) parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second, ((ms % 1000) + 1000) % 1000);
}

const offsetAt = (ms: number, zone: string) => wallClock(ms, zone) - ms;

/**
 * The instant a wall-clock time (written as UTC) happens in `zone`. A time that happens twice when clocks go
 * back takes its first occurrence; one skipped when they go forward lands where the clocks jumped to (both as
 * Temporal's "compatible" disambiguation).
 */
function instantOf(wall: number, zone: string): number {
  const early = wall - offsetAt(wall - DAY_MS, zone);
  const late = wall - offsetAt(wall + DAY_MS, zone);
  const real = [early, late].filter((t) => offsetAt(t, zone) === wall - t);
  return real.length > 0 ? Math.min(...real) : early;
}

/**
 * When the prospect may go on: `nowMs` itself inside the window, else the next opening. Each day is placed on
 * the local calendar, so a window keeps its local hours across daylight-saving changes.
 */
export function nextWindowStart(
  nowMs: number,
  window: LocalTimeWindow,
  traits: Readonly<Record<string, unknown>> = {},
): number {
  const zone = resolveTimeZone(window.timezone, traits);
  const today = Math.floor(wallClock(nowMs, zone) / DAY_MS) * DAY_MS;
  const overnight = window.endHour <= window.startHour ? DAY_MS : 0;
  // From yesterday, whose window may run past midnight into today, to a week ahead.
  for (let day = today - DAY_MS; day <= today + 7 * DAY_MS; day += DAY_MS) {
    const weekday = WEEKDAYS_FROM_SUNDAY[new Date(day).getUTCDay()];
    if (!weekday || !window.days.includes(weekday)) continue;
    const start = instantOf(day + window.startHour * HOUR_MS, zone);
    const end = instantOf(day + overnight + window.endHour * HOUR_MS, zone);
    if (nowMs < start) return start;
    if (nowMs < end) return nowMs;
  }
  throw new RangeError('A local-time window needs at least one day of the week');
}

/** When a message may go out given the journey's quiet hours: now, or when they end. */
export function nextSendTime(
  nowMs: number,
  quietHours: QuietHours | null,
  traits: Readonly<Record<string, unknown>> = {},
): number {
  if (!quietHours) return nowMs;
  const { startHour, endHour, timezone } = quietHours;
  return nextWindowStart(
    nowMs,
    { startHour: endHour, endHour: startHour, days: WEEKDAYS_FROM_SUNDAY, timezone },
    traits,
  );
}

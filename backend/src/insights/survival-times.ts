/**
 * The common first step of the survival estimators: validate (time, event) pairs and visit them in
 * ascending time, tied times together, because both Kaplan–Meier and the log-rank test work one distinct
 * time at a time (events at a tied time happen before the censorings at it).
 */
export interface TimeGroups {
  /** Observation indices in ascending time. */
  order: Uint32Array;
  /** Distinct time i covers order[starts[i]] up to order[starts[i + 1]]; the last entry is the count. */
  starts: Uint32Array;
  /** The distinct times, ascending. */
  times: Float64Array;
}

/** events[i] is 1 when observation i ended in the event, 0 when it was censored at times[i]. */
export function groupByTime(times: ArrayLike<number>, events: ArrayLike<number>): TimeGroups {
  const n = times.length;
  if (events.length !== n) throw new RangeError(`${n} times but ${events.length} event flags`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(times[i])) throw new RangeError(`time ${i} is ${times[i]}, not a finite number`);
    if (events[i] !== 0 && events[i] !== 1)
      throw new RangeError(`event flag ${i} is ${events[i]}, not 0 or 1`);
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);
  const starts: number[] = [];
  const distinct: number[] = [];
  for (let k = 0; k < n; k++) {
    const t = times[order[k]!]!;
    if (k === 0 || t !== distinct[distinct.length - 1]) {
      starts.push(k);
      distinct.push(t);
    }
  }
  starts.push(n);
  return { order, starts: Uint32Array.from(starts), times: Float64Array.from(distinct) };
}

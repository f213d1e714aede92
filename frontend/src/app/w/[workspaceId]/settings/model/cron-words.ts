/**
 * The common shapes of a five-field cron in words ("Every Monday at 03:00 UTC"); null for anything else, so the
 * page shows the expression itself rather than a wrong sentence.
 */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function describeCron(cron: string): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(minute) || !/^\d{1,2}$/.test(hour) || month !== '*') return null;
  const m = Number(minute);
  const h = Number(hour);
  if (m > 59 || h > 23) return null;
  const at = `at ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')} UTC`;
  if (dom === '*' && dow === '*') return `Every day ${at}`;
  if (dom === '*' && /^[0-7]$/.test(dow)) return `Every ${DAYS[Number(dow)]} ${at}`;
  if (dom === '*' && dow === '1-5') return `Every weekday ${at}`;
  if (/^\d{1,2}$/.test(dom) && Number(dom) >= 1 && Number(dom) <= 31 && dow === '*') {
    return `On day ${Number(dom)} of every month ${at}`;
  }
  return null;
}

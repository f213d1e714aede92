import { describe, expect, it } from 'vitest';
import { apiUsagePause, USAGE_STOP_WAIT_MS } from './api-usage';

describe('Salesforce API usage pacing', () => {
  it('runs at full speed until 80 %, slows down ever more, and stops from 98 %', () => {
    expect(apiUsagePause(null, null)).toBe(0);
    expect(apiUsagePause(79_999, 100_000)).toBe(0);
    const pauses = [85_000, 90_000, 95_000, 97_900].map((u) => apiUsagePause(u, 100_000));
    expect(pauses.every((p, i) => i === 0 || p > pauses[i - 1]!)).toBe(true);
    expect(pauses[0]).toBeGreaterThan(0);
    expect(pauses[3]).toBeLessThanOrEqual(30_000);
    expect(apiUsagePause(98_000, 100_000)).toBe(USAGE_STOP_WAIT_MS);
    expect(apiUsagePause(100_000, 100_000)).toBe(USAGE_STOP_WAIT_MS);
  });
});

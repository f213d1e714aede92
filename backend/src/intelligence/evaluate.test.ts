import { describe, expect, it } from 'vitest';
import { loadCsvText } from './csv';
import { evaluateModels } from './evaluate';
import { createRng, normal } from './random';
import { sigmoid } from './stats';

/** A churn-like CSV: a numeric driver, an XOR pair only trees can use, a categorical, a leak and a date. */
function csv(n: number, withLeak: boolean): string {
  const rng = createRng(21);
  const lines = [`day,tenure,a,b,plan${withLeak ? ',leak' : ''},label`];
  for (let i = 0; i < n; i++) {
    const tenure = Math.abs(normal(rng) * 10);
    const a = rng() * 2 - 1;
    const b = rng() * 2 - 1;
    const plan = ['basic', 'pro', 'max'][i % 3]!;
    const y =
      rng() < sigmoid(1.5 - 0.15 * tenure + (a * b > 0 ? 1.5 : -1.5) + (plan === 'pro' ? 0.5 : 0))
        ? 'yes'
        : 'no';
    const day = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString();
    lines.push(
      `${day},${tenure.toFixed(2)},${a.toFixed(3)},${b.toFixed(3)},${plan}${withLeak ? `,${y === 'yes' ? 1 : 0}` : ''},${y}`,
    );
  }
  return lines.join('\n');
}

describe('evaluating both models', () => {
  it('reports fold metrics for both models; trees beat LR when the signal is an interaction', () => {
    const data = loadCsvText(csv(3000, false), { label: 'label', drop: ['day'] });
    const r = evaluateModels(data, { folds: 3 });
    expect(r.scheme).toBe('stratified 3-fold cross-validation');
    expect(r.columns).toEqual({ input: 4, linear: 6, trees: 4 });
    const { logistic, gbdt } = r.models;
    for (const m of [logistic, gbdt]) {
      expect(m.rocAuc.values).toHaveLength(3);
      expect(m.brier.mean).toBeGreaterThan(0);
      expect(m.brier.mean).toBeLessThan(0.25);
      expect(m.calibrationError.mean).toBeLessThan(0.06);
    }
    expect(gbdt.rocAuc.mean).toBeGreaterThan(logistic.rocAuc.mean + 0.05);
    expect(
      gbdt.topFeatures
        .map((f) => f.feature)
        .slice(0, 3)
        .sort(),
    ).toEqual(['a', 'b', 'tenure']);
    expect(gbdt.trees!.mean).toBeGreaterThan(10);
    expect(r.warnings).toEqual([]);
  });

  it('evaluates on the latest 20% by time, and warns about a column that leaks the label', () => {
    const data = loadCsvText(csv(1500, true), { label: 'label', time: 'day' });
    const r = evaluateModels(data, { byTime: true });
    expect(r.scheme).toMatch(/latest 20%/);
    expect(r.models.gbdt.rocAuc.values).toHaveLength(1);
    expect(r.warnings.join()).toMatch(/"leak" alone separates the label/);
  });
});

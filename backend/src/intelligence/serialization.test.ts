import { describe, expect, it } from 'vitest';
import { fitIsotonic, fitPlatt } from './calibration';
import { fitGbdt } from './gbdt';
import { gbdtMargins } from './gbdt-predict';
import { fitLogistic } from './logistic-regression';
import { scoreBatch, type ScoringModel } from './scoring-model';
import { fromJson, toJson } from './serialization';
import { syntheticData } from './test-data';

const roundTrip = (s: ScoringModel) => fromJson(JSON.parse(JSON.stringify(toJson(s))));

describe('model serialisation', () => {
  const { x, y } = syntheticData(1500, 8, 2);

  it('round-trips boosted trees with a Platt calibrator through JSON text, scoring identically', () => {
    const model = fitGbdt(x, y, { numTrees: 15 }).model;
    const s: ScoringModel = { model, calibrator: fitPlatt(gbdtMargins(model, x), y) };
    const back = roundTrip(s);
    expect([...scoreBatch(back, x)]).toEqual([...scoreBatch(s, x)]);
  });

  it('round-trips logistic regression with an isotonic calibrator', () => {
    const x2 = { ...x, values: x.values.map((v) => (Number.isNaN(v) ? 0 : v)) };
    const model = fitLogistic(x2, y);
    const s: ScoringModel = { model, calibrator: fitIsotonic(scoreBatch({ model }, x2), y) };
    expect([...scoreBatch(roundTrip(s), x2)]).toEqual([...scoreBatch(s, x2)]);
  });

  it('rejects malformed or tampered JSON instead of mis-scoring', () => {
    const json = toJson({ model: fitGbdt(x, y, { numTrees: 2 }).model }) as any;
    expect(() => fromJson({ ...json, version: 99 })).toThrow(/version/);
    const cyclic = JSON.parse(JSON.stringify(json));
    cyclic.model.trees[0].left[0] = 0;
    expect(() => fromJson(cyclic)).toThrow(/invalid children/);
    const short = JSON.parse(JSON.stringify(json));
    short.model.trees[1].value.pop();
    expect(() => fromJson(short)).toThrow(/value has/);
    expect(() => fromJson({ version: 1, model: { kind: 'svm', names: [] } })).toThrow(/unknown model kind/);
  });
});

import { normalCdf, zForConfidence } from './stats-functions';
import { checkCounts, type Interval, wilsonInterval } from './wilson';

/**
 * Comparing two conversion proportions, typically a treated group against its holdout: the lift (ratio of
 * proportions), the uplift (their difference) and a test of "no difference".
 */
export interface Proportion {
  successes: number;
  trials: number;
}

/**
 * Lift p₁ / p₂ with the Katz log interval. When either group has no successes log(lift) has no finite
 * variance, so the interval alone uses the Haldane–Anscombe correction (½ added to every cell of the 2×2
 * table); the estimate stays uncorrected.
 */
export function liftInterval(treatment: Proportion, control: Proportion, confidence = 0.95): Interval {
  checkProportions(treatment, control);
  const z = zForConfidence(confidence);
  if (treatment.trials === 0 || control.trials === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  const estimate = treatment.successes / treatment.trials / (control.successes / control.trials);
  const correction = treatment.successes === 0 || control.successes === 0 ? 0.5 : 0;
  const x1 = treatment.successes + correction;
  const n1 = treatment.trials + 2 * correction;
  const x2 = control.successes + correction;
  const n2 = control.trials + 2 * correction;
  const logLift = Math.log(x1 / n1 / (x2 / n2));
  const se = Math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
  return { estimate, lower: Math.exp(logLift - z * se), upper: Math.exp(logLift + z * se) };
}

/**
 * Uplift p₁ − p₂ with Newcombe's hybrid score interval (his method 10), built from the two Wilson intervals:
 * it stays inside [−1, 1] and behaves at 0% and 100%, where the Wald interval collapses.
 */
export function differenceInterval(treatment: Proportion, control: Proportion, confidence = 0.95): Interval {
  checkProportions(treatment, control);
  const a = wilsonInterval(treatment.successes, treatment.trials, confidence);
  const b = wilsonInterval(control.successes, control.trials, confidence);
  const estimate = a.estimate - b.estimate;
  return {
    estimate,
    lower: estimate - Math.hypot(a.estimate - a.lower, b.upper - b.estimate),
    upper: estimate + Math.hypot(a.upper - a.estimate, b.estimate - b.lower),
  };
}

export interface ZTest {
  z: number;
  pValue: number;
}

/**
 * Two-sided pooled two-proportion z-test; z² is the statistic of R `prop.test(correct = FALSE)`. When both
 * groups are all-success or all-failure the proportions are identical and the test says so (z 0, p 1).
 */
export function twoProportionZTest(a: Proportion, b: Proportion): ZTest {
  checkProportions(a, b);
  if (a.trials === 0 || b.trials === 0) return { z: NaN, pValue: NaN };
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (a.successes / a.trials - b.successes / b.trials) / se;
  return { z, pValue: 2 * normalCdf(-Math.abs(z)) };
}

function checkProportions(a: Proportion, b: Proportion): void {
  checkCounts(a.successes, a.trials);
  checkCounts(b.successes, b.trials);
}

/**
 * One-sided tests that a window's figure is worse than its baseline's, given both sample counts, with the
 * interval of the difference: what an alert needs to say "large AND significant". Proportions (accuracy,
 * recall, precision) use the pooled two-proportion z-test and Newcombe's hybrid score interval (statsmodels
 * `confint_proportions_2indep(method='newcomb')`, Newcombe 1998, method 10); mean errors use Welch's t-test
 * with its Welch–Satterthwaite t-interval (scipy `ttest_ind_from_stats(..., equal_var=False)`).
 */
import { normalSf } from '../math/special-functions.ts';
import { normalQuantile, studentTUpperQuantile } from './quantiles.ts';
import { twoProportionZTest, type Proportion } from './two-proportion-test.ts';
import { welchTTest, type SampleSummary } from './welch-t-test.ts';

/** A one-sided verdict test of candidate − baseline, with the two-sided (1 − 2α) interval of that difference. */
export interface DropTest {
  /** `two_proportion_z` or `welch_t`. */
  readonly test: string;
  readonly statistic: number;
  /** One-sided p-value in the direction asked (a fall, or a rise for errors). */
  readonly pValue: number;
  /** Interval of candidate − baseline; its bound on the bad side is the one-sided (1 − α) bound. */
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson score interval of a proportion at normal quantile z (statsmodels `proportion_confint(method='wilson')`
 * with alpha = 2·(1 − Φ(z))). [0, 1] when there are no trials.
 * @example wilsonInterval(81, 100, 1.959963984540054) // ≈ [0.7222, 0.8749]
 */
export function wilsonInterval(successes: number, trials: number, z: number): [number, number] {
  if (!(trials > 0)) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Newcombe's hybrid score interval of p_b − p_a at normal quantile z. */
export function newcombeInterval(a: Proportion, b: Proportion, z: number): [number, number] {
  const pa = a.successes / a.trials;
  const pb = b.successes / b.trials;
  const [la, ua] = wilsonInterval(a.successes, a.trials, z);
  const [lb, ub] = wilsonInterval(b.successes, b.trials, z);
  const d = pb - pa;
  return [d - Math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2), d + Math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)];
}

/**
 * Tests whether proportion `candidate` is BELOW `baseline` (one-sided, pooled z: statsmodels
 * `proportions_ztest([b, a], [nb, na], alternative='smaller')`), with Newcombe's interval at 1 − 2α.
 * @throws InsufficientDataError when a side has no trials (not retriable)
 * @example proportionDropTest({successes: 890, trials: 1000}, {successes: 850, trials: 1000}, 0.001).pValue // ≈ 0.0035
 */
export function proportionDropTest(baseline: Proportion, candidate: Proportion, alpha: number): DropTest {
  const { statistic } = twoProportionZTest(baseline, candidate);
  const [low, high] = newcombeInterval(baseline, candidate, normalQuantile(1 - alpha));
  return { test: 'two_proportion_z', statistic, pValue: 1 - normalSf(statistic), low, high };
}

/**
 * Tests whether mean `candidate` is ABOVE `baseline` (a rise of a mean error; one-sided Welch: scipy
 * `ttest_ind_from_stats(candidate..., baseline..., equal_var=False, alternative='greater')`), with the
 * Welch t-interval of the difference at 1 − 2α.
 * @throws InsufficientDataError when a sample has fewer than 2 values (not retriable)
 */
export function welchRiseTest(baseline: SampleSummary, candidate: SampleSummary, alpha: number): DropTest {
  const r = welchTTest(candidate, baseline);
  const d = candidate.mean - baseline.mean;
  const se = Math.sqrt(candidate.variance / candidate.count + baseline.variance / baseline.count);
  const half = se === 0 ? 0 : studentTUpperQuantile(alpha, r.df) * se;
  const pValue =
    Number.isFinite(r.statistic) || r.statistic === 0 ? oneSided(r.pValue, r.statistic) : d > 0 ? 0 : 1;
  return { test: 'welch_t', statistic: r.statistic, pValue, low: d - half, high: d + half };
}

/** P(T ≥ t) from the two-sided p-value. */
function oneSided(twoSided: number, t: number): number {
  return t > 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/**
 * One-sided (1 − α) bounds of a proportion (Wilson): the objective "accuracy below 0.7" is met for certain
 * when the upper bound lies below 0.7.
 */
export function proportionBounds(p: Proportion, alpha: number): [number, number] {
  return wilsonInterval(p.successes, p.trials, normalQuantile(1 - alpha));
}

/** One-sided (1 − α) t-bounds of a mean. */
export function meanBounds(s: SampleSummary, alpha: number): [number, number] {
  if (!(s.count >= 2)) return [-Infinity, Infinity];
  const half = studentTUpperQuantile(alpha, s.count - 1) * Math.sqrt(s.variance / s.count);
  return [s.mean - half, s.mean + half];
}

/**
 * Standard error of a ROC AUC from its value and class counts (Hanley & McNeil 1982, "The meaning and use of
 * the area under a ROC curve", eq. 2): cheap, needs no scores, close to DeLong's for binormal data.
 * @example hanleyMcNeilSe(0.8, 100, 100) // ≈ 0.0309
 */
export function hanleyMcNeilSe(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const a2 = auc * auc;
  const variance =
    (auc * (1 - auc) + (positives - 1) * (q1 - a2) + (negatives - 1) * (q2 - a2)) / (positives * negatives);
  return Math.sqrt(Math.max(0, variance));
}

/**
 * Tests whether a figure with a known standard error FELL below its baseline's (one-sided z on the
 * difference, both errors independent), with the normal interval of the difference at 1 − 2α. Used for ROC AUC
 * with {@link hanleyMcNeilSe}.
 */
export function standardErrorDropTest(
  baseline: { value: number; se: number },
  candidate: { value: number; se: number },
  alpha: number,
): DropTest {
  const d = candidate.value - baseline.value;
  const se = Math.sqrt(baseline.se ** 2 + candidate.se ** 2);
  if (se === 0) return { test: 'hanley_mcneil_z', statistic: 0, pValue: d < 0 ? 0 : 1, low: d, high: d };
  const z = d / se;
  const half = normalQuantile(1 - alpha) * se;
  return { test: 'hanley_mcneil_z', statistic: z, pValue: 1 - normalSf(z), low: d - half, high: d + half };
}

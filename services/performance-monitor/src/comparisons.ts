import {
  ClassificationState,
  compareAbsoluteError,
  compareAccuracy,
  RegressionState,
  type VersionComparison,
} from '../../core/src/performance/index.ts';
import type { KindState } from './kind-state.ts';
import type { ProcessorOptions } from './options.ts';
import type { WindowIdentity } from './rows.ts';

/** One row of `version_comparisons`. */
export interface ComparisonRow {
  model_id: string;
  baseline_version: string;
  candidate_version: string;
  baseline_arm: string;
  candidate_arm: string;
  segment: string;
  window_size: string;
  window_id: number;
  window_start: number;
  window_end: number;
  metric: string;
  test: string;
  baseline_value: number;
  candidate_value: number;
  baseline_count: number;
  candidate_count: number;
  statistic: number | null;
  p_value: number | null;
  df: number | null;
  alpha: number;
  verdict: string;
  is_final: number;
  revision: number;
}

/** A side of a comparison: the version, its arm tag value and its window state. */
export interface Arm {
  version: string;
  arm: string;
  state: KindState;
  final: boolean;
}

/**
 * Version names in release order: digit runs compare as numbers (`v2` before `v10`, `1.9.0` before `1.10.0`,
 * ISO dates in date order), anything else by code unit, so the order is total and the same on every machine.
 */
export function compareVersionNames(a: string, b: string): number {
  const pa = a.match(VERSION_PARTS) ?? [];
  const pb = b.match(VERSION_PARTS) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (DIGITS.test(x) && DIGITS.test(y)) {
      const xs = x.replace(LEADING_ZEROS, '');
      const ys = y.replace(LEADING_ZEROS, '');
      // Longer digit runs are larger numbers; equal lengths compare digit by digit.
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const VERSION_PARTS = /\d+|\D+/g;
const DIGITS = /^\d/;
const LEADING_ZEROS = /^0+(?=\d)/;

/**
 * The (baseline, candidate) version pairs of a model. `auto`: each other version against the first in release
 * order (`compareVersionNames`), the incumbent that canaries, A/B arms and shadows are measured against. The
 * order of names, not of arrival, decides: joined pairs arrive in label order, which a restart or a rebalance
 * changes, and the rows written must not. Configured pairs apply to their model or to every model (`*`).
 * Versions not seen yet are left out. Pure.
 */
export function versionPairs(
  mode: ProcessorOptions['comparisons'],
  modelId: string,
  versions: readonly string[],
): [string, string][] {
  if (mode.mode === 'off') return [];
  if (mode.mode === 'auto') {
    const [first, ...later] = [...versions].sort(compareVersionNames);
    return first === undefined ? [] : later.map((v) => [first, v]);
  }
  const seen = new Set(versions);
  return mode.pairs
    .filter((p) => (p.model === '*' || p.model === modelId) && seen.has(p.baseline) && seen.has(p.candidate))
    .map((p) => [p.baseline, p.candidate]);
}

type CompareOptions = Pick<ProcessorOptions, 'alpha' | 'compareTest' | 'compareMinSamples'>;

/** Accuracy (classifiers) or mean absolute error (regressors) of two arms on one window. Pure. */
export function compareArms(
  base: KindState,
  cand: KindState,
  o: CompareOptions,
): VersionComparison | 'insufficient' {
  if (base.count < o.compareMinSamples || cand.count < o.compareMinSamples) return 'insufficient';
  if (base instanceof ClassificationState && cand instanceof ClassificationState) {
    return compareAccuracy(base, cand, { alpha: o.alpha, test: o.compareTest });
  }
  if (base instanceof RegressionState && cand instanceof RegressionState) {
    return compareAbsoluteError(base, cand, { alpha: o.alpha });
  }
  return 'insufficient';
}

const finiteOrNull = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);

/** The comparison row of two arms on one window. Pure. */
export function comparisonRow(
  w: WindowIdentity,
  base: Arm,
  cand: Arm,
  o: CompareOptions,
  revision: number,
): ComparisonRow {
  const result = compareArms(base.state, cand.state, o);
  const isClassifier = base.state instanceof ClassificationState;
  const value = (s: KindState) =>
    s instanceof ClassificationState ? s.correctCount / s.count : s.absoluteErrorMoments.mean;
  return {
    model_id: w.modelId,
    baseline_version: base.version,
    candidate_version: cand.version,
    baseline_arm: base.arm,
    candidate_arm: cand.arm,
    segment: w.segment,
    window_size: w.windowSize,
    window_id: w.windowId,
    window_start: Math.floor(w.startMs / 1000),
    window_end: Math.floor(w.endMs / 1000),
    metric: isClassifier ? 'accuracy' : 'mae',
    test: result === 'insufficient' ? '' : result.test,
    baseline_value: value(base.state),
    candidate_value: value(cand.state),
    baseline_count: base.state.count,
    candidate_count: cand.state.count,
    statistic: result === 'insufficient' ? null : finiteOrNull(result.statistic),
    p_value: result === 'insufficient' ? null : finiteOrNull(result.pValue),
    df: result === 'insufficient' ? null : finiteOrNull(result.df),
    alpha: o.alpha,
    verdict: result === 'insufficient' ? 'insufficient_data' : result.verdict,
    is_final: base.final && cand.final ? 1 : 0,
    revision,
  };
}

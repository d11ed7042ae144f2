import {
  ClassificationState,
  classificationMetrics,
  confusionMatrix,
  RegressionState,
  regressionMetrics,
  type MetricValue,
} from '../../core/src/performance/index.ts';
import { DriftlineError } from '../../core/src/errors.ts';

/** What a model version predicts: decided by its first labeled prediction (string label or number). */
export type Kind = 'classification' | 'regression';

/** The mergeable state of one window, bucket delta or baseline. */
export type KindState = ClassificationState | RegressionState;

/** Plain-data form for the changelog. */
export interface KindStateJson {
  kind: Kind;
  state: unknown;
}

export function emptyState(kind: Kind): KindState {
  return kind === 'classification' ? new ClassificationState() : new RegressionState();
}

export function kindOf(state: KindState): Kind {
  return state instanceof ClassificationState ? 'classification' : 'regression';
}

/** Adds `source` into `target`; both must be of one kind (a version's kind never changes). */
export function mergeState(target: KindState, source: KindState): void {
  if (target instanceof ClassificationState && source instanceof ClassificationState) target.merge(source);
  else if (target instanceof RegressionState && source instanceof RegressionState) target.merge(source);
  else throw new DriftlineError(`cannot merge a ${kindOf(source)} state into a ${kindOf(target)} state`);
}

/** Takes the samples of `source` out of `target` (a correction's earlier pair); the caller checked {@link holdsState}. */
export function subtractState(target: KindState, source: KindState): void {
  if (target instanceof ClassificationState && source instanceof ClassificationState) target.subtract(source);
  else if (target instanceof RegressionState && source instanceof RegressionState) target.subtract(source);
  else throw new DriftlineError(`cannot subtract a ${kindOf(source)} state from a ${kindOf(target)} state`);
}

/** Whether `target` can hold every sample of `source` (both of one kind). */
export function holdsState(target: KindState, source: KindState): boolean {
  if (target instanceof ClassificationState && source instanceof ClassificationState)
    return target.holds(source);
  if (target instanceof RegressionState && source instanceof RegressionState) return target.holds(source);
  return false;
}

/** The metric name of one confusion-matrix cell: `confusion:<true>|<predicted>`. */
export function confusionMetricName(trueLabel: string, predictedLabel: string): string {
  return `confusion:${trueLabel}|${predictedLabel}`;
}

/**
 * Every defined figure of a state: the performance library's metrics and, for classifiers, the non-zero
 * cells of the confusion matrix. Counts only grow, except when a label correction takes a pair out: a figure
 * that then vanishes (a confusion cell, a class, the one-vs-rest AUC) gets a NaN row (see emit.ts), so no
 * row of its window is left stale.
 */
export function stateMetrics(state: KindState): MetricValue[] {
  if (state instanceof RegressionState) return regressionMetrics(state);
  const out = classificationMetrics(state);
  const { labels, matrix } = confusionMatrix(state);
  matrix.forEach((row, t) =>
    row.forEach((n, p) => {
      if (n !== 0) out.push({ metric: confusionMetricName(labels[t] ?? '', labels[p] ?? ''), value: n });
    }),
  );
  return out;
}

export function stateToJSON(state: KindState): KindStateJson {
  return { kind: kindOf(state), state: state.toJSON() };
}

/** @throws InvalidStateJsonError (not retriable) on a malformed snapshot. */
export function stateFromJSON(json: KindStateJson): KindState {
  return json.kind === 'classification'
    ? ClassificationState.fromJSON(json.state)
    : RegressionState.fromJSON(json.state);
}

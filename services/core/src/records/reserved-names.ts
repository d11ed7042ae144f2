/**
 * Names of drift_metrics rows (and profile columns) that are not input features. The drift monitor writes
 * them; the alerter and the report read them. An input feature may not start with `__`: the drift monitor
 * leaves such a feature out of a profile, so these names never collide with a feature.
 */

/** What every reserved name starts with. */
export const RESERVED_PREFIX = '__';
/** The dataset-level row (method `share_drifted`): the share of input features that drifted. */
export const DATASET_FEATURE = '__dataset__';
/** Concept-drift detections: the detectors watch the error stream. */
export const ERROR_FEATURE = '__error__';
/** The model's output: the predicted label of a classifier or the value of a regressor. */
export const PREDICTION_FEATURE = '__prediction__';
/** The regression value when a model reports a label as well. */
export const PREDICTION_VALUE_FEATURE = '__prediction_value__';
/** One class's score: `__score__:<class>`. */
export const SCORE_PREFIX = '__score__:';
/** The multivariate drift row (method `reconstruction_error`). */
export const MULTIVARIATE_FEATURE = '__multivariate__';
/** An embedding's rows: `__embedding__:<name>` (methods `mmd`, `mean_euclidean`, `mean_cosine`). */
export const EMBEDDING_PREFIX = '__embedding__:';

/** True for a name the drift monitor gives its own rows, false for an input feature. */
export function isReservedName(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX);
}

/** True for the rows of drift over several columns at once: the multivariate row and embeddings' rows. */
export function isJointDriftFeature(name: string): boolean {
  return name === MULTIVARIATE_FEATURE || name.startsWith(EMBEDDING_PREFIX);
}

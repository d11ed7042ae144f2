/**
 * Options of a ClassificationState, with documented defaults and a pure validation. Two states
 * merge only when their resolved options are equal.
 */
import { InvalidOptionError } from './errors.ts';

/** Options fixed at construction; two states merge only when their options are equal. */
export interface ClassificationStateOptions {
  /** Equal-width confidence bins on [0, 1] for the expected calibration error. @default 10 */
  readonly calibrationBins?: number;
  /** Equal-width score bins on [0, 1] for the binned ROC AUC (error bound shrinks with more bins). @default 1000 */
  readonly aucBins?: number;
  /**
   * Probabilities are clipped to [ε, 1 − ε] before −ln p. sklearn ≤ 1.2 used 1e-15; sklearn ≥ 1.5
   * uses float64 machine epsilon (2.220446049250313e-16), which only matters for p < 1e-15.
   * @default 1e-15
   */
  readonly logLossEpsilon?: number;
}

/** Options with every default filled in. */
export type ResolvedClassificationOptions = Required<ClassificationStateOptions>;

/** The defaults, also the list of option keys compared by merge. */
export const CLASSIFICATION_DEFAULTS: ResolvedClassificationOptions = {
  calibrationBins: 10,
  aucBins: 1000,
  logLossEpsilon: 1e-15,
};

/**
 * Fills in defaults and checks ranges.
 * @throws {InvalidOptionError} when a bin count or epsilon is out of range (not retriable)
 */
export function resolveClassificationOptions(
  options: ClassificationStateOptions,
): ResolvedClassificationOptions {
  const resolved = { ...CLASSIFICATION_DEFAULTS, ...options };
  for (const key of ['calibrationBins', 'aucBins'] as const) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 1 || value > 1_000_000) {
      throw new InvalidOptionError(key, value, 'an integer in [1, 1000000]');
    }
  }
  const eps = resolved.logLossEpsilon;
  if (!(eps > 0 && eps < 0.5)) throw new InvalidOptionError('logLossEpsilon', eps, 'a number in (0, 0.5)');
  return resolved;
}

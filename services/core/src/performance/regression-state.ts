/**
 * Mergeable state of a regressor over a window. With e = prediction − target it holds:
 * n; Σe; Welford/Chan moments (count, mean, M2) of the target y and of |e| (from which
 * Σ|e| = n·mean and Σe² = Σ|e|² = M2 + n·mean²); and for MAPE, Σ|e|/|y| over non-zero targets
 * plus the number of zero targets that were skipped.
 *
 * Moments merge with Chan's formula, so merged variances match one pass within ~1e-12 relative,
 * without the cancellation of Σy² − n·ȳ² on large targets. Merging is associative and commutative
 * up to float rounding. `retract` and `subtract` take samples out again (Chan's formula solved for
 * the removed part): counts come back exactly, sums up to rounding, and an emptied state is exactly
 * an empty one.
 */
import { InvalidStateJsonError, InvalidValueError, StateUnderflowError } from './errors.ts';
import { expectCount, expectFinite, expectRecord } from './json-guards.ts';
import { RunningMoments } from './running-moments.ts';
import type { RunningMomentsJson } from './running-moments.ts';

/** Plain-data snapshot; `fromJSON(toJSON())` is lossless. */
export interface RegressionStateJson {
  readonly version: 1;
  readonly errorSum: number;
  readonly target: RunningMomentsJson;
  readonly absoluteError: RunningMomentsJson;
  readonly percentageErrorSum: number;
  readonly percentageErrorCount: number;
  readonly zeroTargets: number;
}

/**
 * Error sums of one regressor window.
 * @example
 * const state = new RegressionState().update(2, 2.5).update(0, 1);
 * state.count; // 2
 */
export class RegressionState {
  private errors = 0;
  private readonly target = new RunningMoments();
  private readonly absolute = new RunningMoments();
  private percentageSum = 0;
  private percentageCount = 0;
  private zeros = 0;

  /** Number of samples. */
  get count(): number {
    return this.target.count;
  }

  /** Σ (prediction − target). */
  get errorSum(): number {
    return this.errors;
  }

  /** Moments (count, mean, M2) of the target values (read-only view). */
  get targetMoments(): Readonly<RunningMoments> {
    return this.target;
  }

  /** Moments (count, mean, M2) of |prediction − target| (read-only view). */
  get absoluteErrorMoments(): Readonly<RunningMoments> {
    return this.absolute;
  }

  /** Σ |e| / |y| over samples with y ≠ 0. */
  get percentageErrorSum(): number {
    return this.percentageSum;
  }

  /** Samples with y ≠ 0 (the MAPE denominator). */
  get percentageErrorCount(): number {
    return this.percentageCount;
  }

  /** Samples with y = 0, skipped by MAPE. */
  get zeroTargets(): number {
    return this.zeros;
  }

  /**
   * Adds one labeled prediction.
   * @throws {InvalidValueError} when either value is not finite; the state is then unchanged (not retriable)
   */
  update(target: number, prediction: number): this {
    if (!Number.isFinite(target)) throw new InvalidValueError('target', target);
    if (!Number.isFinite(prediction)) throw new InvalidValueError('prediction', prediction);
    const error = prediction - target;
    const absError = Math.abs(error);
    this.errors += error;
    this.target.update(target);
    this.absolute.update(absError);
    if (target === 0) {
      this.zeros += 1;
    } else {
      this.percentageSum += absError / Math.abs(target);
      this.percentageCount += 1;
    }
    return this;
  }

  /**
   * Takes out one sample added earlier by `update(target, prediction)`.
   * @throws {InvalidValueError} when either value is not finite (not retriable)
   * @throws {StateUnderflowError} when the state holds no sample, or none with a zero target when
   *   `target` is 0; the state is then unchanged (not retriable)
   */
  retract(target: number, prediction: number): this {
    return this.subtract(new RegressionState().update(target, prediction));
  }

  /**
   * Takes every sample of `other` out of this state, which must hold them (the inverse of {@link merge}).
   * @throws {StateUnderflowError} when this state holds fewer samples (or zero targets) than `other`;
   *   it is then unchanged (not retriable)
   */
  subtract(other: RegressionState): this {
    const source = other === this ? other.clone() : other;
    if (!this.holds(source)) throw new StateUnderflowError(`a state of ${source.count} samples`);
    this.target.subtract(source.target);
    this.absolute.subtract(source.absolute);
    this.percentageCount -= source.percentageCount;
    this.zeros -= source.zeros;
    const empty = this.target.count === 0;
    this.errors = empty ? 0 : this.errors - source.errors;
    this.percentageSum = this.percentageCount === 0 ? 0 : this.percentageSum - source.percentageSum;
    return this;
  }

  /** Whether this state can hold every sample of `other` (by its counts: {@link subtract} succeeds exactly then). */
  holds(other: RegressionState): boolean {
    return (
      other.count <= this.count && other.zeros <= this.zeros && other.percentageCount <= this.percentageCount
    );
  }

  /** Adds every sample of `other` into this state (`other` is unchanged). */
  merge(other: RegressionState): this {
    const source = other === this ? other.clone() : other;
    this.errors += source.errors;
    this.target.merge(source.target);
    this.absolute.merge(source.absolute);
    this.percentageSum += source.percentageSum;
    this.percentageCount += source.percentageCount;
    this.zeros += source.zeros;
    return this;
  }

  /** An independent copy. */
  clone(): RegressionState {
    return RegressionState.fromJSON(this.toJSON());
  }

  toJSON(): RegressionStateJson {
    return {
      version: 1,
      errorSum: this.errors,
      target: this.target.toJSON(),
      absoluteError: this.absolute.toJSON(),
      percentageErrorSum: this.percentageSum,
      percentageErrorCount: this.percentageCount,
      zeroTargets: this.zeros,
    };
  }

  /**
   * Rebuilds a state from {@link toJSON} output.
   * @throws {InvalidStateJsonError} naming the offending path (not retriable)
   */
  static fromJSON(value: unknown): RegressionState {
    const json = expectRecord(value, '$');
    if (json['version'] !== 1) throw new InvalidStateJsonError('version', '1');
    const state = new RegressionState();
    state.errors = expectFinite(json['errorSum'], 'errorSum');
    state.target.merge(parseMoments(json['target'], 'target'));
    state.absolute.merge(parseMoments(json['absoluteError'], 'absoluteError'));
    state.percentageSum = expectFinite(json['percentageErrorSum'], 'percentageErrorSum');
    state.percentageCount = expectCount(json['percentageErrorCount'], 'percentageErrorCount');
    state.zeros = expectCount(json['zeroTargets'], 'zeroTargets');
    const n = state.target.count;
    if (state.absolute.count !== n || state.percentageCount + state.zeros !== n) {
      throw new InvalidStateJsonError(
        '$',
        'consistent counts (target = absoluteError = percentage + zero targets)',
      );
    }
    return state;
  }
}

function parseMoments(value: unknown, path: string): RunningMomentsJson {
  const json = expectRecord(value, path);
  const m2 = expectFinite(json['m2'], `${path}.m2`);
  if (m2 < 0) throw new InvalidStateJsonError(`${path}.m2`, 'a non-negative number');
  return {
    count: expectCount(json['count'], `${path}.count`),
    mean: expectFinite(json['mean'], `${path}.mean`),
    m2,
  };
}

/**
 * The base-type ladder of the streaming drift detectors, after River's `river.base`
 * (`DriftDetector` → `DriftAndWarningDetector`, plus a binary variant), so that a detector's type
 * says what it signals and what it accepts.
 *
 * Every detector is a small state machine: `update(x)` changes state, getters expose the signals,
 * and `toJSON()` / the class's static `fromJSON()` persist and restore the full state, so a
 * service can checkpoint a detector per model and resume exactly where it stopped.
 */
import { InvalidDriftInputError } from './errors.ts';

/** Binary input: 1 means an error (wrong prediction), 0 a correct one. */
export type BinaryInput = 0 | 1;

/**
 * The serialised form of a detector: plain JSON (no Infinity or NaN), tagged with `kind` so
 * `detectorFromJSON()` in the registry can pick the class.
 */
export interface DetectorSnapshot<
  K extends string = string,
  P extends object = object,
  S extends object = object,
> {
  readonly kind: K;
  /** Bumped when the layout of `state` changes, so old checkpoints are refused, not misread. */
  readonly version: 1;
  readonly params: P;
  readonly state: S;
}

/** A drift detector fed one value at a time. */
export abstract class DriftDetector<X = number> {
  /** Set by `observe()`; readable until the next `update()`. */
  protected drift = false;

  /** The snapshot `kind` and the name used in error messages. */
  abstract readonly kind: string;

  /** Whether the last `update()` detected a drift. */
  get driftDetected(): boolean {
    return this.drift;
  }

  /**
   * Feed one value.
   *
   * River resets a detector lazily, on the update after a drift, so that `driftDetected` stays
   * readable until then; we do the same so detection indices match River's.
   *
   * @returns this, so calls chain: `d.update(x).driftDetected`
   * @throws InvalidDriftInputError (not retriable) if the value is outside the detector's domain
   */
  update(x: X): this {
    // Checked before the lazy reset so that a rejected value leaves the state untouched.
    this.validate(x);
    if (this.drift) this.reset();
    this.observe(x);
    return this;
  }

  /** Forget everything seen so far; parameters are kept. */
  reset(): void {
    this.drift = false;
  }

  /** Full state, as plain JSON; the class's static `fromJSON()` rebuilds an identical detector. */
  abstract toJSON(): DetectorSnapshot;

  /** Fold one value into the state and set the signals. */
  protected abstract observe(x: X): void;

  /** Throws unless `x` is a finite number: one NaN would poison the running sums for good. */
  protected validate(x: X): void {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new InvalidDriftInputError(this.kind, x, 'a finite number');
    }
  }
}

/** A drift detector that also signals a warning zone before a drift. */
export abstract class DriftAndWarningDetector<X = number> extends DriftDetector<X> {
  protected warning = false;

  /** Whether the last `update()` put the detector in its warning zone. */
  get warningDetected(): boolean {
    return this.warning;
  }

  override reset(): void {
    super.reset();
    this.warning = false;
  }
}

/** A drift-and-warning detector over 0/1 inputs (e.g. a classifier's error indicator). */
export abstract class BinaryDriftAndWarningDetector extends DriftAndWarningDetector<BinaryInput> {
  /** The type says 0 | 1, but values arrive from decoded records: check at run time too. */
  protected override validate(x: BinaryInput): void {
    if (x !== 0 && x !== 1) throw new InvalidDriftInputError(this.kind, x, '0 or 1');
  }
}

/** Any detector, as the registry hands it out. Binary detectors fit because 0 | 1 ⊂ number. */
export type AnyDriftDetector = DriftDetector<number>;

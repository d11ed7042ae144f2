import { BinaryDriftAndWarningDetector } from './detector.ts';
import type { BinaryInput, DetectorSnapshot } from './detector.ts';
import { resolveParams } from './params.ts';
import type { ParamRules } from './params.ts';
import { finiteOrNull, openSnapshot } from './snapshot.ts';

/** Parameters of {@link DDM}; names follow River's, in camelCase. */
export interface DDMParams {
  /**
   * Number of values to see before warnings or drifts may be signalled.
   * @default 30
   */
  readonly warmStart: number;
  /**
   * Warning when p + s > p_min + warningThreshold · s_min (2 ≈ 95% confidence).
   * @default 2
   */
  readonly warningThreshold: number;
  /**
   * Drift when p + s > p_min + driftThreshold · s_min (3 ≈ 99% confidence).
   * @default 3
   */
  readonly driftThreshold: number;
}

/** Parameter table: defaults and valid ranges (checked by the constructor and the registry). */
export const DDM_PARAMS: ParamRules<DDMParams> = {
  warmStart: { kind: 'number', default: 30, integer: true, min: 0 },
  warningThreshold: { kind: 'number', default: 2, min: 0, exclusiveMin: true },
  driftThreshold: { kind: 'number', default: 3, min: 0, exclusiveMin: true },
};

/** Serialised state of {@link DDM}. */
export interface DDMState {
  readonly driftDetected: boolean;
  readonly warningDetected: boolean;
  /** Count and error rate since the last reset. */
  readonly n: number;
  readonly p: number;
  /** Error rate and its standard deviation where p + s was lowest; null during warm start. */
  readonly pMin: number | null;
  readonly sMin: number | null;
  readonly psMin: number | null;
}

export type DDMSnapshot = DetectorSnapshot<'ddm', DDMParams, DDMState>;

/**
 * Drift Detection Method: tracks a learner's error rate p and its binomial standard deviation
 * s = √(p(1−p)/n), remembers where p + s was lowest, and signals a warning, then a drift, when
 * p + s rises `warningThreshold`, then `driftThreshold`, minimum deviations above that point.
 * Reproduces `river.drift.binary.DDM` (River 0.26) operation for operation.
 *
 * Reference: J. Gama, P. Medas, G. Castillo, P. Rodrigues, "Learning with Drift Detection",
 * SBIA 2004, LNCS 3171, pp. 286–295.
 *
 * Input: 1 for an error (wrong prediction), 0 for a correct one.
 *
 * @param params - see {@link DDMParams}; omitted fields take their defaults
 * @throws InvalidDetectorParamError (not retriable) on an unknown or out-of-range param
 *
 * @example
 * River's docstring stream (Python `random.Random(42)`: 1000 draws from [0, 1], then 1000 with
 * weights [0.3, 0.7]; stored in `test/fixtures/drift/river-docstring-42.json`):
 * ```ts
 * const ddm = new DDM();
 * const fired = values.flatMap((x, i) => (ddm.update(x).driftDetected ? [i] : []));
 * // fired → [1334]; the first warning is at 1084, as in River's docstring
 * ```
 */
export class DDM extends BinaryDriftAndWarningDetector {
  readonly kind = 'ddm';
  readonly params: DDMParams;
  private n = 0;
  private p = 0;
  private pMin: number | null = null;
  private sMin: number | null = null;
  private psMin = Infinity;

  constructor(params?: Partial<DDMParams>) {
    super();
    this.params = resolveParams('ddm', DDM_PARAMS, params);
  }

  override reset(): void {
    super.reset();
    this.n = 0;
    this.p = 0;
    this.pMin = null;
    this.sMin = null;
    this.psMin = Infinity;
  }

  protected observe(bit: BinaryInput): void {
    // Same update as river.stats.Mean, (1/n)·(x − mean): the rounding must match River's.
    this.n += 1;
    this.p += (1 / this.n) * (bit - this.p);
    if (this.n <= this.params.warmStart) return;
    const p = this.p;
    const s = Math.sqrt((p * (1 - p)) / this.n);
    if (p + s <= this.psMin) {
      this.pMin = p;
      this.sMin = s;
      this.psMin = p + s;
    }
    // psMin starts at Infinity, so the branch above has set both by now.
    const pMin = this.pMin as number;
    const sMin = this.sMin as number;
    this.warning = p + s > pMin + this.params.warningThreshold * sMin;
    if (p + s > pMin + this.params.driftThreshold * sMin) {
      this.drift = true;
      this.warning = false;
    }
  }

  toJSON(): DDMSnapshot {
    return {
      kind: 'ddm',
      version: 1,
      params: { ...this.params },
      state: {
        driftDetected: this.drift,
        warningDetected: this.warning,
        n: this.n,
        p: this.p,
        pMin: this.pMin,
        sMin: this.sMin,
        psMin: finiteOrNull(this.psMin),
      },
    };
  }

  /**
   * Rebuild a detector from `toJSON()` output (possibly after a JSON round trip).
   * @throws InvalidDetectorStateError (not retriable) if the snapshot is malformed
   */
  static fromJSON(json: unknown): DDM {
    const { params, state } = openSnapshot(json, 'ddm', DDM_PARAMS);
    const d = new DDM(params);
    d.drift = state.bool('driftDetected');
    d.warning = state.bool('warningDetected');
    d.n = state.num('n');
    d.p = state.num('p');
    d.pMin = state.numOrNull('pMin');
    d.sMin = state.numOrNull('sMin');
    d.psMin = state.numOrNull('psMin') ?? Infinity;
    if ((d.pMin === null) !== (d.sMin === null) || (d.pMin === null) !== (d.psMin === Infinity)) {
      throw state.bad('pMin', 'null exactly when sMin and psMin are null', d.pMin);
    }
    return d;
  }
}

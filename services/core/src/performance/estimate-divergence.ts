/**
 * Estimate versus realized as a concept-drift signal (River-style: `update(x)` then read `driftDetected`).
 *
 * CBPE assumes P(y | score) stays as calibrated on the reference period; under covariate shift alone the
 * realized figure stays inside the estimate's sampling band. When the realized figure falls outside the band
 * in `windows` consecutive final windows, that assumption no longer holds: the concept has drifted (NannyML,
 * "Estimating performance", the CBPE assumptions). The detector resets itself on the update after a drift.
 *
 * @example
 * const d = new EstimateDivergence({ z: 1.96, windows: 3 });
 * for (const realized of [0.80, 0.70, 0.70, 0.70]) d.update({ estimate: 0.8, stdError: 0.01, realized });
 * d.driftDetected; // true after the fourth update: three windows in a row outside 0.8 ± 0.0196
 */
export interface EstimateDivergenceOptions {
  /** Half-width of the band in standard errors. @default 1.96 (95%) */
  readonly z: number;
  /** Consecutive windows outside the band before the signal fires. @default 3 */
  readonly windows: number;
}

/** One final window: the estimate, its standard error and the realized figure. */
export interface EstimateVersusRealized {
  readonly estimate: number;
  readonly stdError: number;
  readonly realized: number;
}

export const ESTIMATE_DIVERGENCE_DEFAULTS: EstimateDivergenceOptions = { z: 1.96, windows: 3 };

export class EstimateDivergence {
  /** Consecutive windows outside the band so far. */
  outside = 0;
  driftDetected = false;
  /** Signed standardized errors (realized − estimate) / se of the current run outside the band. */
  readonly run: number[] = [];

  constructor(readonly options: EstimateDivergenceOptions = ESTIMATE_DIVERGENCE_DEFAULTS) {}

  update(x: EstimateVersusRealized): this {
    if (this.driftDetected) this.reset();
    const z = x.stdError > 0 ? (x.realized - x.estimate) / x.stdError : 0;
    if (Math.abs(z) > this.options.z) {
      this.outside += 1;
      this.run.push(z);
    } else {
      this.outside = 0;
      this.run.length = 0;
    }
    this.driftDetected = this.outside >= this.options.windows;
    return this;
  }

  private reset(): void {
    this.outside = 0;
    this.run.length = 0;
    this.driftDetected = false;
  }
}

import { StatsError } from './errors.ts';

/** NannyML's default band: the reference chunks' mean ± 3 standard deviations. */
export const DEFAULT_BAND_SDS = 3;

/** The stored window state of reconstruction errors. */
export interface ReconstructionErrorJSON {
  n: number;
  sum: number;
  sum_sq: number;
  /** Per feature, the sum over events of its squared residual. */
  contributions: number[];
}

/**
 * The mergeable state of a window's reconstruction errors: count, sum and sum of squares of the per-event
 * errors, and per feature the sum of its squared residuals (what explains a high error). Merging two states
 * gives the state of the union (counts exactly, sums to rounding).
 */
export class ReconstructionErrorState {
  n = 0;
  sum = 0;
  sumSq = 0;
  readonly contributions: Float64Array;

  constructor(readonly d: number) {
    this.contributions = new Float64Array(d);
  }

  /** Adds one event from its squared error and residual (length d). */
  update(squaredError: number, residual: Float64Array): void {
    this.n += 1;
    this.sum += Math.sqrt(squaredError);
    this.sumSq += squaredError;
    const c = this.contributions;
    for (let i = 0; i < this.d; i++) c[i] = (c[i] as number) + (residual[i] as number) ** 2;
  }

  merge(other: ReconstructionErrorState): this {
    if (other.d !== this.d)
      throw new StatsError(`cannot merge error states of ${this.d} and ${other.d} features`);
    this.n += other.n;
    this.sum += other.sum;
    this.sumSq += other.sumSq;
    for (let i = 0; i < this.d; i++)
      this.contributions[i] = (this.contributions[i] as number) + (other.contributions[i] as number);
    return this;
  }

  get mean(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }

  toJSON(): ReconstructionErrorJSON {
    return { n: this.n, sum: this.sum, sum_sq: this.sumSq, contributions: Array.from(this.contributions) };
  }

  static fromJSON(json: ReconstructionErrorJSON, d: number): ReconstructionErrorState {
    if (!Array.isArray(json?.contributions) || json.contributions.length !== d || !(json.n >= 0))
      throw new StatsError(`malformed reconstruction-error state for ${d} features`);
    const s = new ReconstructionErrorState(d);
    s.n = json.n;
    s.sum = json.sum;
    s.sumSq = json.sum_sq;
    s.contributions.set(json.contributions);
    return s;
  }
}

/** The reference's own spread of chunk mean errors, and the band a window's mean error must stay in. */
export interface ReconstructionBand {
  /** Mean of the reference chunks' mean errors. */
  center: number;
  /** Population standard deviation of the reference chunks' mean errors (numpy's std, as NannyML). */
  chunkSd: number;
  chunkSize: number;
  chunks: number;
  sds: number;
}

/**
 * The band from the mean errors of equal-sized reference chunks (NannyML's StandardDeviationThreshold).
 * @throws StatsError (not retriable) with fewer than 2 chunks.
 */
export function referenceBand(
  chunkMeans: readonly number[],
  chunkSize: number,
  sds = DEFAULT_BAND_SDS,
): ReconstructionBand {
  if (chunkMeans.length < 2) throw new StatsError('reconstruction band: needs at least 2 reference chunks');
  const center = chunkMeans.reduce((s, v) => s + v, 0) / chunkMeans.length;
  const variance = chunkMeans.reduce((s, v) => s + (v - center) ** 2, 0) / chunkMeans.length;
  return { center, chunkSd: Math.sqrt(variance), chunkSize, chunks: chunkMeans.length, sds };
}

/** The mean error of each full chunk of `chunkSize` consecutive errors (a short tail is left out). */
export function chunkMeans(errors: ArrayLike<number>, chunkSize: number): number[] {
  const out: number[] = [];
  for (let start = 0; start + chunkSize <= errors.length; start += chunkSize) {
    let s = 0;
    for (let i = start; i < start + chunkSize; i++) s += errors[i] as number;
    out.push(s / chunkSize);
  }
  return out;
}

/**
 * The band for a window of `n` events. NannyML compares chunks of the reference's chunk size; a stream
 * window holds however many events its hour had, and the spread of a mean shrinks with the square root of
 * its count, so the half-width is scaled by √(chunkSize / n): the same band as NannyML's when n equals the
 * chunk size, not too narrow for quiet windows (false alarms) nor too wide for busy ones (missed drift).
 * The lower bound stays at or above 0 (NannyML's lower limit for an error).
 */
export function bandFor(band: ReconstructionBand, n: number): { lower: number; upper: number } {
  const half = band.sds * band.chunkSd * Math.sqrt(band.chunkSize / Math.max(n, 1));
  return { lower: Math.max(0, band.center - half), upper: band.center + half };
}

/**
 * The band for a window of `n` events from held-out reference errors (`mean` over `n` events, per-event
 * standard deviation `sd`, and `fit_sd`, how far one fit's mean error strays from the held-out mean):
 * mean ± sds · √(sd² (1/n + 1/holdout.n) + fit_sd²), the spread of a window's mean error around the
 * reference's when both come from the same distribution. The per-event spread of all reference events
 * estimates the sampling part far better than the 10 chunk means NannyML uses.
 */
export function holdoutBandFor(
  holdout: { mean: number; sd: number; n: number; fit_sd?: number },
  n: number,
  sds = DEFAULT_BAND_SDS,
): { lower: number; upper: number } {
  const sampling = holdout.sd ** 2 * (1 / Math.max(n, 1) + 1 / Math.max(holdout.n, 1));
  const half = sds * Math.sqrt(sampling + (holdout.fit_sd ?? 0) ** 2);
  return { lower: Math.max(0, holdout.mean - half), upper: holdout.mean + half };
}

/**
 * The features explaining most of a window's reconstruction error, largest first: ranked by how much their
 * mean squared residual per event rose over the reference's (a feature that is always poorly reconstructed
 * explains nothing), with their share of the window's squared error.
 * @param referenceMeans - per feature, the reference's mean squared residual per event
 * @param top - how many to return (@default 5)
 */
export function topContributors(
  features: readonly string[],
  state: ReconstructionErrorState,
  referenceMeans: readonly number[],
  top = 5,
): { feature: string; share: number; rise: number }[] {
  const total = state.contributions.reduce((s, v) => s + v, 0);
  if (!(total > 0) || state.n === 0) return [];
  return features
    .map((feature, i) => {
      const own = state.contributions[i] as number;
      return { feature, share: own / total, rise: own / state.n - (referenceMeans[i] ?? 0) };
    })
    .sort((a, b) => b.rise - a.rise)
    .slice(0, top);
}

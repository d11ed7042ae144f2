import { symmetricEigen } from '../math/symmetric-eigen.ts';
import { StatsError } from './errors.ts';

/**
 * NannyML's DataReconstructionDriftCalculator keeps the components that explain this share of the variance
 * of the standardized reference features (its `n_components` default).
 */
export const DEFAULT_VARIANCE_SHARE = 0.65;

/** The stored form of a fitted reconstruction (inside a reference profile). */
export interface ReconstructionJSON {
  features: string[];
  means: number[];
  scales: number[];
  /** k rows of d loadings: the kept principal axes of the standardized features. */
  components: number[][];
  variance_share: number;
  /** The share of the standardized variance the kept components explain (> variance_share). */
  explained: number;
}

/**
 * A PCA fitted on standardized numeric features, as NannyML's multivariate drift does it: missing values
 * are imputed with the reference mean (sklearn's SimpleImputer), features standardized with the population
 * standard deviation (StandardScaler; a constant feature keeps scale 1), and the fewest principal components
 * kept whose explained variance exceeds the share (sklearn's PCA with a fractional n_components). An event's
 * reconstruction error is the euclidean distance between its standardized features and their projection
 * back from the kept components.
 */
export class PcaReconstruction {
  readonly d: number;
  readonly k: number;
  private readonly comps: Float64Array;
  private readonly projected: Float64Array;
  private readonly scratch: Float64Array;
  private readonly scratchResidual: Float64Array;
  /**
   * The unit eigenvectors the fit left out (rows of d), when this fit was made here rather than read back:
   * with the kept ones they are an orthonormal basis, so an event's residual is its projection on them.
   */
  private readonly complement: Float64Array | null;

  constructor(
    readonly features: readonly string[],
    readonly means: Float64Array,
    readonly scales: Float64Array,
    components: readonly (readonly number[])[],
    readonly varianceShare: number,
    readonly explained: number,
    complement: Float64Array | null = null,
  ) {
    this.d = features.length;
    this.k = components.length;
    this.complement = complement;
    this.comps = Float64Array.from(components.flat());
    this.projected = new Float64Array(this.k);
    this.scratch = new Float64Array(this.d);
    this.scratchResidual = new Float64Array(this.d);
    const bad =
      components.some((c) => c.length !== this.d) ||
      (complement !== null && complement.length !== (this.d - this.k) * this.d);
    if (bad || means.length !== this.d || scales.length !== this.d || this.k === 0) {
      throw new StatsError(
        'reconstruction: components, means and scales must all have one entry per feature',
      );
    }
  }

  /**
   * The residual of one standardized event, written into `residual`; returns the squared error. Allocation
   * free: the per-event hot path of a window.
   * @param z - the standardized features (missing = 0, the reference mean), length d
   * @param residual - receives z minus its reconstruction, length d
   */
  residualOf(z: Float64Array, residual: Float64Array): number {
    const { d, k, comps, projected } = this;
    for (let c = 0; c < k; c++) {
      let s = 0;
      const row = c * d;
      for (let i = 0; i < d; i++) s += (comps[row + i] as number) * (z[i] as number);
      projected[c] = s;
    }
    let squared = 0;
    for (let i = 0; i < d; i++) {
      let back = 0;
      for (let c = 0; c < k; c++) back += (comps[c * d + i] as number) * (projected[c] as number);
      const r = (z[i] as number) - back;
      residual[i] = r;
      squared += r * r;
    }
    return squared;
  }

  /**
   * The reconstruction errors of rows [from, to) of a column-major matrix of n rows (column i is
   * x[i·n … i·n + n − 1], NaN where missing) into errors[from − offset …]; with `contributions`, each
   * row's squared residual per feature is added to it, in row order. Callers go by blocks of rows: the
   * method is then compiled after a few calls (a loop over all rows in a function called once runs
   * unoptimized until on-stack replacement). A fit made here that left out fewer components than it kept
   * projects each row on the left-out ones (d − k products per feature instead of 2k): the same residual,
   * to rounding (about 1e-15 relative).
   */
  rowErrors(
    x: Float64Array,
    n: number,
    from: number,
    to: number,
    errors: Float64Array,
    offset: number,
    contributions: Float64Array | null,
  ): void {
    const d = this.d;
    const z = this.scratch;
    const residual = this.scratchResidual;
    const q = this.complement;
    if (q !== null && q.length < this.k * d) {
      this.complementErrors(q, x, n, from, to, errors, offset, contributions);
      return;
    }
    for (let r = from; r < to; r++) {
      for (let i = 0; i < d; i++) z[i] = this.standardize(i, x[i * n + r]);
      errors[r - offset] = Math.sqrt(this.residualOf(z, residual));
      if (contributions !== null)
        for (let i = 0; i < d; i++)
          contributions[i] = (contributions[i] as number) + (residual[i] as number) * (residual[i] as number);
    }
  }

  /** rowErrors by the left-out components `q`: the residual is Σ (q_c·z) q_c over them. */
  private complementErrors(
    q: Float64Array,
    x: Float64Array,
    n: number,
    from: number,
    to: number,
    errors: Float64Array,
    offset: number,
    contributions: Float64Array | null,
  ): void {
    const d = this.d;
    const m = q.length / d;
    const z = this.scratch;
    const residual = this.scratchResidual;
    for (let r = from; r < to; r++) {
      for (let i = 0; i < d; i++) z[i] = this.standardize(i, x[i * n + r]);
      if (contributions !== null) residual.fill(0);
      let squared = 0;
      for (let c = 0; c < m; c++) {
        const row = c * d;
        let s = 0;
        for (let i = 0; i < d; i++) s += (q[row + i] as number) * (z[i] as number);
        squared += s * s;
        if (contributions !== null)
          for (let i = 0; i < d; i++) residual[i] = (residual[i] as number) + s * (q[row + i] as number);
      }
      errors[r - offset] = Math.sqrt(squared);
      if (contributions !== null)
        for (let i = 0; i < d; i++)
          contributions[i] = (contributions[i] as number) + (residual[i] as number) * (residual[i] as number);
    }
  }

  /**
   * Per feature, the sum over rows of the squared residual (what rowErrors adds to `contributions`), from the
   * rows' scatter matrix Σ zzᵀ of standardized rows (d × d, row-major) instead of a pass over the rows: the
   * residual is Pz with P = I − CᵀC, so the sums are the diagonal of P·S·P. Equal to the per-row sums to
   * rounding (about 1e-13 relative).
   */
  residualSquares(scatter: Float64Array): Float64Array {
    const { d, k, comps } = this;
    const p = new Float64Array(d * d);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = i === j ? 1 : 0;
        for (let c = 0; c < k; c++) s -= (comps[c * d + i] as number) * (comps[c * d + j] as number);
        p[i * d + j] = s;
      }
    const out = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let sum = 0;
      for (let a = 0; a < d; a++) {
        let row = 0;
        for (let b = 0; b < d; b++) row += (scatter[a * d + b] as number) * (p[b * d + i] as number);
        sum += (p[i * d + a] as number) * row;
      }
      out[i] = sum;
    }
    return out;
  }

  /** Standardizes one raw value of feature i; a missing value is the reference mean (0). */
  standardize(i: number, value: number | null | undefined): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
    return (value - (this.means[i] as number)) / (this.scales[i] as number);
  }

  /** The reconstruction error of one event given as raw feature values (missing: null). */
  errorOf(row: readonly (number | null)[]): number {
    const z = Float64Array.from(row, (v, i) => this.standardize(i, v));
    return Math.sqrt(this.residualOf(z, new Float64Array(this.d)));
  }

  toJSON(): ReconstructionJSON {
    const components: number[][] = [];
    for (let c = 0; c < this.k; c++)
      components.push(Array.from(this.comps.subarray(c * this.d, (c + 1) * this.d)));
    return {
      features: [...this.features],
      means: Array.from(this.means),
      scales: Array.from(this.scales),
      components,
      variance_share: this.varianceShare,
      explained: this.explained,
    };
  }

  static fromJSON(json: ReconstructionJSON): PcaReconstruction {
    return new PcaReconstruction(
      json.features,
      Float64Array.from(json.means),
      Float64Array.from(json.scales),
      json.components,
      json.variance_share,
      json.explained,
    );
  }
}

/**
 * The rows as one dense column-major matrix (column i is x[i·n … i·n + n − 1]), NaN where a value is missing.
 * The fit then reads contiguous typed columns instead of checking the type of every value of every row in
 * each of its passes, and the scatter matrix is d(d + 1)/2 dot products accumulated in registers.
 */
export function denseColumns(rows: readonly (readonly (number | null)[])[], d: number): Float64Array {
  const n = rows.length;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const row = rows[r] as readonly (number | null)[];
    for (let i = 0; i < d; i++) {
      const v = row[i];
      out[i * n + r] = typeof v === 'number' && Number.isFinite(v) ? v : NaN;
    }
  }
  return out;
}

/**
 * Each column's mean and population standard deviation over its present values, then the column standardized
 * in place (a missing value becomes 0, the mean: mean imputation, then StandardScaler).
 */
export function standardizeColumns(x: Float64Array, n: number, d: number) {
  const means = new Float64Array(d);
  const scales = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const { mean, scale } = standardizeColumn(x.subarray(i * n, (i + 1) * n), n);
    means[i] = mean;
    scales[i] = scale;
  }
  return { means, scales };
}

/**
 * One column of standardizeColumns. A function of its own, called once per column: compiled after a few
 * calls, where the same loops inside a function called once run unoptimized until on-stack replacement.
 */
function standardizeColumn(column: Float64Array, n: number): { mean: number; scale: number } {
  let sum = 0;
  let count = 0;
  for (let r = 0; r < n; r++) {
    const v = column[r] as number;
    // v === v: not NaN (missing)
    if (v === v) {
      sum += v;
      count += 1;
    }
  }
  const mean = count > 0 ? sum / count : 0;
  let squares = 0;
  for (let r = 0; r < n; r++) {
    const v = column[r] as number;
    if (v === v) squares += (v - mean) ** 2;
  }
  // Imputed values sit at the mean: they add to the count, not to the squares (as the imputer then scaler do).
  const sd = Math.sqrt(squares / n);
  const scale = sd >= 10 * Number.EPSILON ? sd : 1;
  for (let r = 0; r < n; r++) {
    const v = column[r] as number;
    column[r] = v === v ? (v - mean) / scale : 0;
  }
  return { mean, scale };
}

/** Rows per call of PcaReconstruction#rowErrors from a loop over many rows. */
export const ERROR_ROWS = 1024;

/** Rows per block of the scatter matrix: 2,048 rows of 20 columns (320 KiB) stay in the core's cache. */
const SCATTER_BLOCK = 2048;

/**
 * Σ zzᵀ over rows [from, to) of the standardized columns (n rows each): each entry one dot product, summed in
 * row order. Two columns meet four columns per pass, each pair with its own sum: eight products for six reads
 * (one column against four made four for five), the same sums. The rows go by blocks that stay in cache, the
 * sums carried from block to block: the same additions in the same order as one pass over all rows, without
 * reading the columns from memory once per pass.
 */
export function scatterMatrix(
  z: Float64Array,
  n: number,
  d: number,
  rows = { from: 0, to: n },
): Float64Array {
  const sums = new Float64Array(d * d + 1);
  addScatter(z, n, d, rows, sums);
  return symmetric(sums, d);
}

/**
 * Σ zzᵀ of each run of rows between consecutive `ends` (ascending, the last n) and over all rows, in one pass:
 * the whole's sums run on from run to run, so the whole is scatterMatrix(z, n, d) bit for bit, and a run's
 * matrix is the difference of the running sums at its ends (to rounding of the running sums).
 */
export function runScatters(
  z: Float64Array,
  n: number,
  d: number,
  ends: readonly number[],
): { whole: Float64Array; runs: Float64Array[] } {
  const sums = new Float64Array(d * d + 1);
  const runs: Float64Array[] = [];
  let before: Float64Array = new Float64Array(d * d);
  let from = 0;
  for (const to of ends) {
    addScatter(z, n, d, { from, to }, sums);
    const now = symmetric(sums, d);
    runs.push(now.map((v, k) => v - (before[k] as number)));
    before = now;
    from = to;
  }
  if (from < n) addScatter(z, n, d, { from, to: n }, sums);
  return { whole: symmetric(sums, d), runs };
}

/** The d × d symmetric matrix of the upper-triangle sums (see addScatter). */
function symmetric(sums: Float64Array, d: number): Float64Array {
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) cov[i * d + j] = cov[j * d + i] = sums[i * d + j] as number;
  return cov;
}

/** Adds Σ z_i z_j over rows [rows.from, rows.to) to sums[i·d + j] (j ≥ i), as scatterMatrix describes. */
function addScatter(
  z: Float64Array,
  n: number,
  d: number,
  rows: { from: number; to: number },
  sums: Float64Array,
): void {
  // Past the last column the extra sums read column d − 1 again and are dropped (into the slot d·d), as are
  // the second column's sums below the diagonal.
  const last = (j: number) => Math.min(j, d - 1) * n;
  const at = (i: number, j: number) => (i < d && j < d && j >= i ? i * d + j : d * d);
  for (let from = rows.from; from < rows.to; from += SCATTER_BLOCK) {
    const to = Math.min(rows.to, from + SCATTER_BLOCK);
    for (let i = 0; i < d; i += 2) {
      const a = last(i);
      const c = last(i + 1);
      for (let j = i; j < d; j += 4) {
        const [b0, b1, b2, b3] = [last(j), last(j + 1), last(j + 2), last(j + 3)];
        const [k0, k1, k2, k3] = [at(i, j), at(i, j + 1), at(i, j + 2), at(i, j + 3)];
        const [m0, m1, m2, m3] = [at(i + 1, j), at(i + 1, j + 1), at(i + 1, j + 2), at(i + 1, j + 3)];
        block2x4(z, sums, from, to, a, c, b0, b1, b2, b3, k0, k1, k2, k3, m0, m1, m2, m3);
      }
    }
  }
}

/**
 * One block of rows of eight sums: columns a and c against b0…b3, into sums[k·] and sums[m·]. A function of
 * its own, called once per block: it is compiled after a few calls, where the loop inside a function called
 * once runs unoptimized until on-stack replacement (the profile build is a cold start, once per profile).
 */
function block2x4(
  z: Float64Array,
  sums: Float64Array,
  from: number,
  to: number,
  a: number,
  c: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
  m0: number,
  m1: number,
  m2: number,
  m3: number,
): void {
  let s0 = sums[k0] as number;
  let s1 = sums[k1] as number;
  let s2 = sums[k2] as number;
  let s3 = sums[k3] as number;
  let t0 = sums[m0] as number;
  let t1 = sums[m1] as number;
  let t2 = sums[m2] as number;
  let t3 = sums[m3] as number;
  for (let r = from; r < to; r++) {
    const x = z[a + r] as number;
    const y = z[c + r] as number;
    const z0 = z[b0 + r] as number;
    const z1 = z[b1 + r] as number;
    const z2 = z[b2 + r] as number;
    const z3 = z[b3 + r] as number;
    s0 += x * z0;
    s1 += x * z1;
    s2 += x * z2;
    s3 += x * z3;
    t0 += y * z0;
    t1 += y * z1;
    t2 += y * z2;
    t3 += y * z3;
  }
  sums[m0] = t0;
  sums[m1] = t1;
  sums[m2] = t2;
  sums[m3] = t3;
  sums[k0] = s0;
  sums[k1] = s1;
  sums[k2] = s2;
  sums[k3] = s3;
}

/**
 * Fits the reconstruction on reference rows.
 * @param features - the feature names, one per column of the rows
 * @param rows - reference events, raw values (null or NaN: missing)
 * @param varianceShare - keep the fewest components explaining more than this share (@default 0.65)
 * @throws StatsError (not retriable) with fewer than 2 features or fewer rows than 2.
 * @example fitPcaReconstruction(['a','b'], [[0,0],[1,1],[2,2.1]]).k // 1
 */
export function fitPcaReconstruction(
  features: readonly string[],
  rows: readonly (readonly (number | null)[])[],
  varianceShare = DEFAULT_VARIANCE_SHARE,
): PcaReconstruction {
  const d = features.length;
  if (d < 2 || rows.length < 2) throw new StatsError('reconstruction: needs at least 2 features and 2 rows');
  return fitPcaOnColumns(features, denseColumns(rows, d), rows.length, varianceShare);
}

/**
 * {@link fitPcaReconstruction} of rows given as one dense column-major matrix (see {@link denseColumns}):
 * column i is x[i·n … i·n + n − 1], each value finite or NaN (missing). Standardizes `x` in place, so a
 * caller fitting several times on the same data (cross-fitting) copies into one buffer, not row arrays.
 * @throws StatsError (not retriable) with fewer than 2 features or fewer rows than 2, or x not n·d long.
 */
export function fitPcaOnColumns(
  features: readonly string[],
  x: Float64Array,
  n: number,
  varianceShare = DEFAULT_VARIANCE_SHARE,
): PcaReconstruction {
  const d = features.length;
  if (d < 2 || n < 2) throw new StatsError('reconstruction: needs at least 2 features and 2 rows');
  if (x.length !== n * d) throw new StatsError('reconstruction: the matrix must hold n values per feature');
  const { means, scales } = standardizeColumns(x, n, d);
  return fitPcaOnScatter(features, means, scales, scatterMatrix(x, n, d), varianceShare);
}

/**
 * The reconstruction whose standardization is `means` and `scales` and whose scatter matrix of the standardized
 * rows (d × d, Σ zzᵀ: any positive multiple of the covariance) is `cov`.
 */
export function fitPcaOnScatter(
  features: readonly string[],
  means: Float64Array,
  scales: Float64Array,
  cov: Float64Array,
  varianceShare = DEFAULT_VARIANCE_SHARE,
): PcaReconstruction {
  const d = features.length;
  const { values, vectors } = symmetricEigen(cov, d);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  // sklearn: the first count whose cumulative ratio is strictly above the share.
  let k = 0;
  let cumulative = 0;
  while (k < d) {
    cumulative += Math.max(values[k] as number, 0) / total;
    k += 1;
    if (cumulative > varianceShare) break;
  }
  const components = [...Array(k).keys()].map((c) => Array.from(vectors.subarray(c * d, (c + 1) * d)));
  return new PcaReconstruction(
    features,
    means,
    scales,
    components,
    varianceShare,
    cumulative,
    vectors.slice(k * d),
  );
}

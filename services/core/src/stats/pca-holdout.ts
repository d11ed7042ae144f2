import {
  DEFAULT_VARIANCE_SHARE,
  fitPcaOnScatter,
  scatterMatrix,
  type PcaReconstruction,
} from './pca-reconstruction.ts';

/** The rows fitted on all rows and standardized by that fit: what every held-out fit is derived from. */
export interface StandardizedRows {
  /** The raw rows, column-major (column i is x[i·n … i·n + n − 1]), NaN where missing. */
  x: Float64Array;
  /** The same rows standardized by `means` and `scales` (missing: 0), as standardizeColumns leaves them. */
  z: Float64Array;
  n: number;
  means: Float64Array;
  scales: Float64Array;
  /** scatterMatrix(z, n, d): Σ zzᵀ over all rows. */
  scatter: Float64Array;
  /** When known, each chunk's Σ zzᵀ in order (see runScatters); else computed here. */
  chunkScatters?: readonly Float64Array[];
}

/** Per chunk of rows: what the fit on the other rows subtracts from the totals. */
interface ChunkStatistics {
  rows: number;
  /** Σ zzᵀ over the chunk's rows. */
  scatter: Float64Array;
  /** Per pair (i, j): Σ z_i over the chunk's rows where feature j is present (the diagonal: Σ z_i). */
  sums: Float64Array;
  /** Per pair (i, j): the chunk's rows where both features are present. */
  present: Float64Array;
  /** Per feature: the smallest and largest present raw value (±Infinity when none). */
  min: Float64Array;
  max: Float64Array;
}

/**
 * For each chunk of `chunkSize` rows (rows [c·chunkSize, (c + 1)·chunkSize) while they fit), the reconstruction
 * fitPcaOnColumns would fit on all the other rows, without refitting: the other rows' mean, standard deviation
 * and scatter matrix are the whole's less the chunk's, re-centred on their own mean. In the standardized
 * coordinates of the whole fit a chunk's mean is near 0, so the re-centring cancels nothing: the fits agree
 * with the refits to rounding (about 1e-15 relative), at the cost of one pass over the rows instead of one
 * standardization and one scatter matrix per chunk. Missing values are imputed with the other rows' mean, as
 * a refit imputes them; a feature constant (or absent) on the other rows keeps scale 1, as there.
 */
export function holdoutFits(
  features: readonly string[],
  rows: StandardizedRows,
  chunkSize: number,
  varianceShare = DEFAULT_VARIANCE_SHARE,
): PcaReconstruction[] {
  const { n } = rows;
  const d = features.length;
  const chunks: ChunkStatistics[] = [];
  for (let start = 0, c = 0; start + chunkSize <= n; start += chunkSize, c++)
    chunks.push(chunkStatistics(rows, d, start, start + chunkSize, rows.chunkScatters?.[c]));
  const whole = chunkStatistics(rows, d, 0, n, rows.scatter);
  const tail = chunks.length * chunkSize < n ? chunkStatistics(rows, d, chunks.length * chunkSize, n) : null;
  return chunks.map((held, c) => {
    // The other rows' smallest and largest values: a feature with one value there has no spread to scale.
    const min = new Float64Array(d).fill(Infinity);
    const max = new Float64Array(d).fill(-Infinity);
    chunks.forEach((other, k) => {
      if (k !== c) widen(min, max, other);
    });
    if (tail !== null) widen(min, max, tail);
    return fitOnRest(features, rows, whole, held, min, max, varianceShare);
  });
}

function widen(min: Float64Array, max: Float64Array, chunk: ChunkStatistics): void {
  for (let i = 0; i < min.length; i++) {
    min[i] = Math.min(min[i] as number, chunk.min[i] as number);
    max[i] = Math.max(max[i] as number, chunk.max[i] as number);
  }
}

/** The statistics of rows [from, to); `scatter` when already known (the whole's). */
function chunkStatistics(
  rows: StandardizedRows,
  d: number,
  from: number,
  to: number,
  known?: Float64Array,
): ChunkStatistics {
  const scatter = known ?? scatterMatrix(rows.z, rows.n, d, { from, to });
  const { x, z, n } = rows;
  const sums = new Float64Array(d * d);
  const present = new Float64Array(d * d);
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  let complete = true;
  const range = new Float64Array(2);
  for (let i = 0; i < d; i++) {
    const { sum, count } = presentSum(x, z, i * n + from, i * n + to, range);
    min[i] = range[0] as number;
    max[i] = range[1] as number;
    if (count < to - from) complete = false;
    for (let j = 0; j < d; j++) {
      sums[i * d + j] = sum;
      present[i * d + j] = to - from;
    }
  }
  // With missing values a pair's sums and counts run over the rows where both are present.
  if (!complete) pairwisePresence(rows, d, from, to, sums, present);
  return { rows: to - from, scatter, sums, present, min, max };
}

/**
 * Over x[from … to − 1]: the sum of z where x is present, how many are, and their smallest and largest x
 * (into range[0] and range[1]; ±Infinity when none). A function of its own, called once per column and
 * chunk: compiled after a few calls, where the loop in a function called a few times ran unoptimized.
 */
function presentSum(
  x: Float64Array,
  z: Float64Array,
  from: number,
  to: number,
  range: Float64Array,
): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let k = from; k < to; k++) {
    const v = x[k] as number;
    // v === v: present (not NaN)
    if (v === v) {
      sum += z[k] as number;
      count += 1;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  range[0] = min;
  range[1] = max;
  return { sum, count };
}

function pairwisePresence(
  { x, z, n }: StandardizedRows,
  d: number,
  from: number,
  to: number,
  sums: Float64Array,
  present: Float64Array,
): void {
  sums.fill(0);
  present.fill(0);
  for (let r = from; r < to; r++)
    for (let i = 0; i < d; i++) {
      if (!((x[i * n + r] as number) === (x[i * n + r] as number))) continue;
      const zi = z[i * n + r] as number;
      for (let j = 0; j < d; j++) {
        const v = x[j * n + r] as number;
        if (v === v) {
          sums[i * d + j] = (sums[i * d + j] as number) + zi;
          present[i * d + j] = (present[i * d + j] as number) + 1;
        }
      }
    }
}

/**
 * The fit on the whole less `held`. With δ the rest's mean of z and r = whole scale / rest scale, the rest's
 * standardized values are r·(z − δ) where present (0 where missing), so their scatter is
 * r_i·r_j·(S_ij − δ_j·A_ij − δ_i·A_ji + δ_i·δ_j·N_ij) over the rest's S (Σ z_i z_j), A (Σ z_i where j is
 * present) and N (rows with both present).
 */
function fitOnRest(
  features: readonly string[],
  rows: StandardizedRows,
  whole: ChunkStatistics,
  held: ChunkStatistics,
  min: Float64Array,
  max: Float64Array,
  varianceShare: number,
): PcaReconstruction {
  const d = features.length;
  const m = whole.rows - held.rows;
  const rest = (a: Float64Array, b: Float64Array, k: number) => (a[k] as number) - (b[k] as number);
  const means = new Float64Array(d);
  const scales = new Float64Array(d).fill(1);
  const shift = new Float64Array(d);
  const ratio = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const ii = i * d + i;
    const count = rest(whole.present, held.present, ii);
    if (count === 0) continue; // no value: mean 0, scale 1, every value standardized to 0
    const wholeScale = rows.scales[i] as number;
    const delta = rest(whole.sums, held.sums, ii) / count;
    shift[i] = delta;
    if (min[i] === max[i]) {
      // One value on the rest: it is the mean, and every standardized value is 0.
      means[i] = min[i] as number;
      continue;
    }
    means[i] = (rows.means[i] as number) + wholeScale * delta;
    const squares = Math.max(0, rest(whole.scatter, held.scatter, ii) - delta * delta * count);
    const sd = wholeScale * Math.sqrt(squares / m);
    scales[i] = sd >= 10 * Number.EPSILON ? sd : 1;
    ratio[i] = wholeScale / (scales[i] as number);
  }
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      const ij = i * d + j;
      const ji = j * d + i;
      const di = shift[i] as number;
      const dj = shift[j] as number;
      const centred =
        rest(whole.scatter, held.scatter, ij) -
        dj * rest(whole.sums, held.sums, ij) -
        di * rest(whole.sums, held.sums, ji) +
        di * dj * rest(whole.present, held.present, ij);
      cov[ij] = cov[ji] = (ratio[i] as number) * (ratio[j] as number) * centred;
    }
  return fitPcaOnScatter(features, means, scales, cov, varianceShare);
}

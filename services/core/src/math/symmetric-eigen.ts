/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan, Matrix
 * Computations, 4th ed., section 8.5). A reference profile's PCA needs it once per build on a d × d
 * correlation matrix (d = numeric features, tens to a few hundred): Jacobi is short, unconditionally stable
 * and accurate to rounding on symmetric matrices, so no matrix library is needed for it.
 */

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Unit eigenvectors, row k belonging to values[k] (row-major k × n, flattened), sign fixed. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

function offDiagonal(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += (a[i * n + j] as number) ** 2;
  return s;
}

/** Applies the rotation that zeroes a[p][q] to `a` (both sides) and to the accumulated vectors `v`. */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q] as number;
  if (apq === 0) return;
  const theta = ((a[q * n + q] as number) - (a[p * n + p] as number)) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p] as number;
    const akq = a[k * n + q] as number;
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k] as number;
    const aqk = a[q * n + k] as number;
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p] as number;
    const vkq = v[k * n + q] as number;
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix.
 * @param matrix - row-major n × n, symmetric (only its values are read; it is not changed)
 * @param n - the order
 * @returns eigenvalues largest first, eigenvectors as rows; each vector's largest-magnitude entry is
 *   positive, so the result does not depend on rotation order (sklearn's svd_flip does the same on
 *   components).
 * @example symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values // [3, 1]
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += (a[i] as number) ** 2;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    if (offDiagonal(a, n) <= 1e-30 * scale) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
  }
  const order = [...Array(n).keys()].sort((i, j) => (a[j * n + j] as number) - (a[i * n + i] as number));
  const values = Float64Array.from(order, (i) => a[i * n + i] as number);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    let largest = 0;
    for (let k = 0; k < n; k++) {
      const x = v[k * n + col] as number;
      if (Math.abs(x) > Math.abs(largest)) largest = x;
    }
    const sign = largest < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[row * n + k] = sign * (v[k * n + col] as number);
  });
  return { values, vectors };
}

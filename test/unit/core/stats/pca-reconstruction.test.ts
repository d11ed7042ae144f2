import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../../services/core/src/math/symmetric-eigen.ts';
import {
  fitPcaReconstruction,
  PcaReconstruction,
  scatterMatrix,
  standardizeColumns,
} from '../../../../services/core/src/stats/pca-reconstruction.ts';
import {
  ReconstructionErrorState,
  bandFor,
  chunkMeans,
  referenceBand,
  topContributors,
} from '../../../../services/core/src/stats/reconstruction-drift.ts';

interface NannymlFixture {
  features: string[];
  chunk_size: number;
  reference: (number | null)[][];
  analysis: number[][];
  components: number;
  explained: number;
  reference_values: number[];
  analysis_values: number[];
  lower_threshold: number;
  upper_threshold: number;
  analysis_alerts: boolean[];
}

const fixture = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../fixtures/drift/multivariate-nannyml.json', import.meta.url)),
    'utf8',
  ),
) as NannymlFixture;

/** Agreement with NannyML 0.13.1 (test/fixtures/drift/multivariate_reference.py): 1e-9 relative. */
const TOLERANCE = 1e-9;

describe('symmetricEigen', () => {
  it('shouldReturnEigenvaluesLargestFirstWhenMatrixIsSymmetric', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]! - Math.SQRT1_2)).toBeLessThan(1e-12);
    expect(Math.abs(vectors[1]! - Math.SQRT1_2)).toBeLessThan(1e-12);
  });

  it('shouldRebuildTheMatrixWhenVectorsAndValuesAreCombined', () => {
    const n = 4;
    const a = Float64Array.of(4, 1, 0.5, 0, 1, 3, 0.2, 0.1, 0.5, 0.2, 2, 0.3, 0, 0.1, 0.3, 1);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += values[k]! * vectors[k * n + i]! * vectors[k * n + j]!;
        expect(Math.abs(s - a[i * n + j]!)).toBeLessThan(1e-12);
      }
  });
});

function windowMean(model: PcaReconstruction, rows: readonly (readonly (number | null)[])[]): number {
  return rows.reduce((s, r) => s + model.errorOf(r), 0) / rows.length;
}

describe('PCA reconstruction against NannyML DataReconstructionDriftCalculator', () => {
  const model = fitPcaReconstruction(fixture.features, fixture.reference);
  const size = fixture.chunk_size;
  const referenceErrors = fixture.reference.map((r) => model.errorOf(r));
  const referenceValues = chunkMeans(referenceErrors, size);
  const band = referenceBand(referenceValues, size);

  it('shouldKeepTheSameComponentsWhenTheShareIsNannymlDefault', () => {
    expect(model.k).toBe(fixture.components);
    expect(model.explained).toBeCloseTo(fixture.explained, 12);
  });

  it('shouldMatchNannymlChunkErrorsWhenChunksAreTheReference', () => {
    referenceValues.forEach((v, i) =>
      expect(Math.abs(v - fixture.reference_values[i]!)).toBeLessThan(
        TOLERANCE * fixture.reference_values[i]!,
      ),
    );
  });

  it('shouldMatchNannymlChunkErrorsAndAlertsWhenChunksAreTheAnalysis', () => {
    fixture.analysis_values.forEach((expected, c) => {
      const mean = windowMean(model, fixture.analysis.slice(c * size, (c + 1) * size));
      expect(Math.abs(mean - expected)).toBeLessThan(TOLERANCE * expected);
      const { lower, upper } = bandFor(band, size);
      expect(!(mean > lower && mean < upper)).toBe(fixture.analysis_alerts[c]);
    });
  });

  it('shouldMatchNannymlThresholdsWhenTheWindowHasTheChunkSize', () => {
    const { lower, upper } = bandFor(band, size);
    expect(Math.abs(lower - fixture.lower_threshold)).toBeLessThan(TOLERANCE);
    expect(Math.abs(upper - fixture.upper_threshold)).toBeLessThan(TOLERANCE);
  });

  it('shouldWidenTheBandWhenTheWindowIsSmallerThanAChunk', () => {
    const small = bandFor(band, size / 4);
    const nannyml = bandFor(band, size);
    expect(small.upper - band.center).toBeCloseTo(2 * (nannyml.upper - band.center), 12);
  });

  it('shouldGiveTheSameRowErrorsAndResidualSquaresWhenComputedByEitherBasisOrTheScatterMatrix', () => {
    // Independent features: the fit keeps more components than it leaves out, so a fit made here projects
    // each row on the left-out ones, where one read back from JSON subtracts the kept ones' reconstruction.
    let seed = 5;
    const uniform = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 600;
    const d = 9;
    const x = new Float64Array(n * d).map((_, k) =>
      k % 97 === 0 ? NaN : 10 * Math.floor(k / n) + uniform(),
    );
    const features = Array.from({ length: d }, (_, i) => `f${i}`);
    const rows = Array.from({ length: n }, (_, r) => features.map((_, i) => x[i * n + r]!));
    const fitted = fitPcaReconstruction(features, rows);
    const read = PcaReconstruction.fromJSON(fitted.toJSON());
    expect(fitted.k).toBeGreaterThan(d - fitted.k);
    const [errors, readErrors] = [new Float64Array(n), new Float64Array(n)];
    const [contributions, readContributions] = [new Float64Array(d), new Float64Array(d)];
    fitted.rowErrors(x, n, 0, n, errors, 0, contributions);
    read.rowErrors(x, n, 0, n, readErrors, 0, readContributions);
    errors.forEach((e, r) => expect(Math.abs(e - readErrors[r]!)).toBeLessThan(1e-12 * (1 + e)));
    contributions.forEach((c, i) => expect(Math.abs(c - readContributions[i]!)).toBeLessThan(1e-11 * c));
    const z = x.slice();
    standardizeColumns(z, n, d);
    const fromScatter = fitted.residualSquares(scatterMatrix(z, n, d));
    const fromJson = read.residualSquares(scatterMatrix(z, n, d));
    contributions.forEach((c, i) => {
      expect(Math.abs(fromScatter[i]! - c)).toBeLessThan(1e-11 * c);
      expect(Math.abs(fromJson[i]! - c)).toBeLessThan(1e-11 * c);
    });
    const heldOut = new Float64Array(n);
    fitted.rowErrors(x, n, 0, n, heldOut, 0, null);
    expect(heldOut).toEqual(errors);
  });

  it('shouldRoundTripWhenStoredAsJSON', () => {
    const back = PcaReconstruction.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(back.errorOf(fixture.analysis[0]!)).toBe(model.errorOf(fixture.analysis[0]!));
  });
});

describe('ReconstructionErrorState', () => {
  const model = fitPcaReconstruction(fixture.features, fixture.reference);

  function stateOf(rows: readonly number[][]): ReconstructionErrorState {
    const state = new ReconstructionErrorState(model.d);
    const residual = new Float64Array(model.d);
    for (const row of rows) {
      const z = Float64Array.from(row, (v, i) => model.standardize(i, v));
      state.update(model.residualOf(z, residual), residual);
    }
    return state;
  }

  it('shouldEqualTheWholeWhenTwoPartsAreMerged', () => {
    const rows = fixture.analysis.slice(0, 300);
    const whole = stateOf(rows);
    const merged = stateOf(rows.slice(0, 120)).merge(stateOf(rows.slice(120)));
    expect(merged.n).toBe(whole.n);
    expect(merged.mean).toBeCloseTo(whole.mean, 12);
    expect(merged.sumSq).toBeCloseTo(whole.sumSq, 9);
    const back = ReconstructionErrorState.fromJSON(JSON.parse(JSON.stringify(merged.toJSON())), model.d);
    expect(back.mean).toBe(merged.mean);
  });

  it('shouldNameTheChangedPairWhenItsCorrelationFlipped', () => {
    const referenceMeans = Array.from(
      stateOf(fixture.reference as number[][]).contributions,
      (c) => c / 2000,
    );
    const changed = stateOf(fixture.analysis.slice(2 * 200));
    const top = topContributors(model.features, changed, referenceMeans, 2).map((c) => c.feature);
    expect(top.sort()).toEqual(['x0', 'x1']);
  });
});

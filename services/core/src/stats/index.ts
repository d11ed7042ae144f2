/**
 * Drift statistics: exact sample tests, mergeable window states, binned
 * approximations with stated bounds, multiple-testing corrections and the
 * stattest registry. Pure functions and plain state objects, no I/O.
 */

export * from './errors.ts';
export { ks2samp, ksAsymptoticPValue, ksStatistic, type KsMethod, type KsResult } from './ks.ts';
export { kolmogorovSf } from './kolmogorov-n.ts';
export { smirnovSf } from './smirnov.ts';
export {
  wassersteinDistance,
  normalizedWasserstein,
  populationStd,
  MIN_REFERENCE_SCALE,
} from './wasserstein.ts';
export {
  chiSquareTest,
  chiSquareDrift,
  UNSEEN_CATEGORY_EPSILON,
  type ChiSquareResult,
  type ChiSquareDriftResult,
} from './chi-square.ts';
export { psi, emptyBinProportion, PSI_EPSILON } from './psi.ts';
export { jensenShannonDistance } from './jensen-shannon.ts';
export { chiSquareSf, normalSf, regularizedUpperGamma, logGamma } from '../math/special-functions.ts';
export { referenceBins, quantileSorted, binIndex, DEFAULT_BINS, type BinSpec } from './reference-bins.ts';
export { NumericHistogram, type NumericHistogramJSON } from './numeric-histogram.ts';
export { CategoryCounts, alignCategories, type CategoryCountsJSON } from './category-counts.ts';
export { binnedKs, type BinnedKsResult } from './binned-ks.ts';
export { BoundedSample } from './bounded-sample.ts';
export {
  referenceSample,
  sampleKs,
  REFERENCE_SAMPLE_SIZE,
  type ReferenceSample,
  type SampleKsResult,
} from './sample-ks.ts';
export {
  binnedWasserstein,
  binnedNormalizedWasserstein,
  type BinnedWassersteinResult,
} from './binned-wasserstein.ts';
export { missingRateChange, type MissingCounts, type MissingRateChange } from './missing-rate.ts';
export { unseenCategoryShare, type UnseenCategories } from './unseen-categories.ts';
export {
  bonferroni,
  benjaminiHochberg,
  multipleTests,
  type CorrectionMethod,
  type CorrectionResult,
} from './multiple-testing.ts';
export {
  STAT_TESTS,
  STAT_TEST_NAMES,
  DEFAULT_LARGE_WINDOW,
  DEFAULT_THRESHOLDS,
  getStatTest,
  chooseStatTest,
  runStatTest,
  detectDrift,
  type StatTestChoice,
  type StatTestRequest,
} from './registry.ts';
export {
  numericTests,
  categoricalTests,
  missingRateRow,
  type TestRow,
  type RowThresholds,
  type ExactValues,
} from './column-tests.ts';
export type * from './stattest-types.ts';
export { finiteValues } from './sample.ts';
export { mulberry32, normalGenerator, type Rng } from './random.ts';

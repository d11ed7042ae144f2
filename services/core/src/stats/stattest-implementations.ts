/**
 * The five drift tests as functions over window/reference states. Each receives
 * a column whose type the registry has already checked and whose sides are
 * non-empty.
 */

import { binnedKs } from './binned-ks.ts';
import { binnedNormalizedWasserstein } from './binned-wasserstein.ts';
import { alignCategories } from './category-counts.ts';
import { chiSquareDrift } from './chi-square.ts';
import { UnsupportedFeatureTypeError } from './errors.ts';
import { jensenShannonDistance } from './jensen-shannon.ts';
import { ks2samp } from './ks.ts';
import { psi } from './psi.ts';
import { finiteValues } from './sample.ts';
import type { Column, NumericColumn, StatTestImpl, StatTestName } from './stattest-types.ts';
import { normalizedWasserstein } from './wasserstein.ts';

function samples(column: NumericColumn): { reference: Float64Array; window: Float64Array } | null {
  if (!column.referenceSample || !column.windowSample) return null;
  const reference = finiteValues(column.referenceSample);
  const window = finiteValues(column.windowSample);
  return reference.length > 0 && window.length > 0 ? { reference, window } : null;
}

function binCounts(column: Column): { reference: ArrayLike<number>; window: ArrayLike<number> } {
  if (column.type === 'numeric') return { reference: column.reference.counts, window: column.window.counts };
  return alignCategories(column.reference, column.window);
}

const ks: StatTestImpl = (column) => {
  const c = column as NumericColumn;
  const raw = samples(c);
  if (raw) return { ...pick(ks2samp(raw.reference, raw.window)), basis: 'exact' };
  return { ...pick(binnedKs(c.reference, c.window)), basis: 'binned' };
};

function pick(r: { statistic: number; pValue: number }): { statistic: number; pValue: number } {
  return { statistic: r.statistic, pValue: r.pValue };
}

const wasserstein: StatTestImpl = (column) => {
  const c = column as NumericColumn;
  const raw = samples(c);
  if (raw)
    return { statistic: normalizedWasserstein(raw.reference, raw.window), pValue: null, basis: 'exact' };
  return {
    statistic: binnedNormalizedWasserstein(c.reference, c.window).distance,
    pValue: null,
    basis: 'binned',
  };
};

const psiTest: StatTestImpl = (column) => {
  const counts = binCounts(column);
  return {
    statistic: psi(counts.reference, counts.window),
    pValue: null,
    basis: column.type === 'numeric' ? 'binned' : 'exact',
  };
};

const jensenShannon: StatTestImpl = (column) => {
  const counts = binCounts(column);
  return {
    statistic: jensenShannonDistance(counts.reference, counts.window),
    pValue: null,
    basis: column.type === 'numeric' ? 'binned' : 'exact',
  };
};

const chi2: StatTestImpl = (column) => {
  if (column.type !== 'categorical')
    throw new UnsupportedFeatureTypeError('chi2', column.type, ['categorical']);
  const r = chiSquareDrift(column.reference.counts, column.window.counts);
  return { statistic: r.statistic, pValue: r.pValue, basis: 'exact' };
};

/** Implementation per test name. */
export const IMPLEMENTATIONS: Readonly<Record<StatTestName, StatTestImpl>> = {
  ks,
  wasserstein,
  psi: psiTest,
  jensen_shannon: jensenShannon,
  chi2,
};

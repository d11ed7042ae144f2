import { describe, expect, it } from 'vitest';
import { CategoryCounts } from '../../../../services/core/src/stats/category-counts.ts';
import {
  categoricalTests as categoricalRows,
  numericTests as numericRows,
  type TestRow,
} from '../../../../services/core/src/stats/column-tests.ts';
import {
  UnknownStatTestError,
  UnsupportedFeatureTypeError,
} from '../../../../services/core/src/stats/errors.ts';
import { NumericHistogram } from '../../../../services/core/src/stats/numeric-histogram.ts';
import { mulberry32, normalGenerator } from '../../../../services/core/src/stats/random.ts';
import { referenceBins } from '../../../../services/core/src/stats/reference-bins.ts';
import {
  DEFAULT_THRESHOLDS,
  STAT_TEST_NAMES,
  chooseStatTest,
  detectDrift,
  getStatTest,
  runStatTest,
} from '../../../../services/core/src/stats/registry.ts';
import type {
  CategoricalColumn,
  DriftOutcome,
  NumericColumn,
} from '../../../../services/core/src/stats/stattest-types.ts';

type Value = number | null | undefined;

function numeric(reference: Value[], window: Value[], withSamples = false): NumericColumn {
  const spec = referenceBins(reference.some((v) => Number.isFinite(v)) ? reference : [0], 20);
  const r = new NumericHistogram(spec);
  const w = new NumericHistogram(spec);
  reference.forEach((v) => r.update(v));
  window.forEach((v) => w.update(v));
  const samples = withSamples
    ? { referenceSample: reference as number[], windowSample: window as number[] }
    : {};
  return { type: 'numeric', reference: r, window: w, ...samples };
}

function categorical(reference: (string | null)[], window: (string | null)[]): CategoricalColumn {
  const r = new CategoryCounts();
  const w = new CategoryCounts();
  reference.forEach((v) => r.update(v));
  window.forEach((v) => w.update(v));
  return { type: 'categorical', reference: r, window: w };
}

function expectFinite(o: DriftOutcome): void {
  expect(o.kind).toBe('result');
  if (o.kind === 'result') {
    expect(Number.isFinite(o.statistic)).toBe(true);
    if (o.pValue !== null) expect(o.pValue >= 0 && o.pValue <= 1).toBe(true);
  }
}

const normal = normalGenerator(mulberry32(11));
const ref = Array.from({ length: 500 }, () => normal());
const numericTests = STAT_TEST_NAMES.filter((n) => getStatTest(n).featureTypes.includes('numeric'));
const categoricalTests = STAT_TEST_NAMES.filter((n) => getStatTest(n).featureTypes.includes('categorical'));

describe('registry lookup', () => {
  it('lists the valid names when a lookup fails', () => {
    expect(() => getStatTest('kolmogorov')).toThrow(UnknownStatTestError);
    expect(() => getStatTest('kolmogorov')).toThrow(/ks, wasserstein, psi, jensen_shannon, chi2/);
  });

  it('refuses a test on a feature type it does not support', () => {
    expect(() => runStatTest('chi2', numeric(ref, ref))).toThrow(UnsupportedFeatureTypeError);
    expect(() => runStatTest('ks', categorical(['a'], ['a']))).toThrow(/allowed: numeric/);
  });

  it('returns the same result shape for every test', () => {
    const keys = ['basis', 'drifted', 'kind', 'method', 'pValue', 'statistic', 'threshold'];
    for (const name of numericTests)
      expect(Object.keys(runStatTest(name, numeric(ref, ref))).sort()).toEqual(keys);
    for (const name of categoricalTests) {
      expect(Object.keys(runStatTest(name, categorical(['a', 'b'], ['a']))).sort()).toEqual(keys);
    }
  });

  it('applies direction and threshold: p ≤ t for p-value tests, statistic ≥ t for distances', () => {
    const shifted = ref.map((x) => x + 1);
    const ks = runStatTest('ks', numeric(ref, shifted, true));
    expect(ks.kind === 'result' && ks.drifted && ks.pValue !== null && ks.pValue <= 0.05).toBe(true);
    const psi = runStatTest('psi', numeric(ref, shifted), 1e9);
    expect(psi.kind === 'result' && !psi.drifted && psi.threshold === 1e9).toBe(true);
  });
});

describe('default chooser (by window size) records its reason', () => {
  const big = Array.from({ length: 1001 }, () => normal());
  it.each([
    ['numeric small', numeric(big, ref), 'ks', 'numeric, window n=500 <= 1000'],
    ['numeric large', numeric(ref, big), 'wasserstein', 'numeric, window n=1001 > 1000'],
    ['categorical small', categorical(['a', 'b'], ['a']), 'chi2', 'categorical, window n=1 <= 1000'],
    [
      'categorical large',
      categorical(['a', 'b'], Array(1001).fill('a')),
      'jensen_shannon',
      'categorical, window n=1001 > 1000',
    ],
  ] as const)('%s', (_label, column, name, reason) => {
    const threshold = getStatTest(name).defaultThreshold;
    expect(chooseStatTest(column.type, column.window.n)).toEqual({
      name,
      threshold,
      automatic: true,
      reason,
    });
    const d = detectDrift(column);
    expect(d.method).toBe(name);
    expect(d.choice.reason).toBe(reason);
  });

  it('records a requested test as not automatic', () => {
    expect(detectDrift(numeric(ref, ref), { test: 'psi' }).choice).toEqual({
      name: 'psi',
      threshold: 0.1,
      automatic: false,
      reason: 'configured',
    });
  });
});

describe('one computation', () => {
  const shifted = ref.map((x) => x + 0.2);
  const thresholds = { tests: DEFAULT_THRESHOLDS, missingAlpha: 0.001, unseenShare: 0.05 };
  const same = (row: TestRow | undefined, o: DriftOutcome) =>
    expect(o).toMatchObject({
      statistic: row!.statistic,
      pValue: row!.pValue,
      drifted: row!.drifted,
      basis: row!.basis,
    });

  it('shouldGiveTheRowTheDriftMonitorWritesWhenATestIsRunByName', () => {
    const column = numeric(ref, shifted);
    const rows = numericRows(column.reference, column.window, thresholds);
    for (const name of ['ks', 'wasserstein', 'psi', 'jensen_shannon'])
      same(
        rows.find((r) => r.method === name),
        runStatTest(name, column),
      );
    const cats = categorical(['a', 'a', 'b', 'c'], ['a', 'b', 'b', 'c', 'c']);
    const catRows = categoricalRows(cats.reference, cats.window, thresholds);
    for (const name of ['chi2', 'psi', 'jensen_shannon'])
      same(
        catRows.find((r) => r.method === name),
        runStatTest(name, cats),
      );
  });
});

describe('edge cases', () => {
  it('an empty window (or one with only missing values) gives "insufficient", never NaN', () => {
    for (const window of [[], [null, Number.NaN, undefined]]) {
      for (const name of numericTests) {
        const o = runStatTest(name, numeric(ref, window));
        expect(o.kind).toBe('insufficient');
        if (o.kind === 'insufficient') expect(o.reason).toMatch(/window has no non-missing values/);
      }
    }
    for (const name of categoricalTests)
      expect(runStatTest(name, categorical(['a'], [null])).kind).toBe('insufficient');
  });

  it('an empty reference gives "insufficient"', () => {
    expect(runStatTest('ks', numeric([], [1])).kind).toBe('insufficient');
    expect(runStatTest('chi2', categorical([], ['a'])).kind).toBe('insufficient');
  });

  it('a window with one value gives finite results, exact and binned', () => {
    for (const name of numericTests) {
      expectFinite(runStatTest(name, numeric(ref, [0.1], true)));
      expectFinite(runStatTest(name, numeric(ref, [0.1])));
    }
    for (const name of categoricalTests) expectFinite(runStatTest(name, categorical(['a', 'b'], ['b'])));
  });

  it('a constant feature (reference std 0) gives finite results', () => {
    const constant = Array(100).fill(2);
    for (const name of numericTests) {
      for (const withSamples of [true, false]) {
        const same = runStatTest(name, numeric(constant, [2, 2, 2], withSamples));
        expectFinite(same);
        expect(same.kind === 'result' && same.drifted).toBe(false);
        const moved = runStatTest(name, numeric(constant, [2.5, 3, 3.5], withSamples));
        expectFinite(moved);
        expect(moved.kind === 'result' && moved.drifted).toBe(true);
      }
    }
  });

  it('unseen categories are finite and flagged as drift', () => {
    const reference = [...Array(300).fill('a'), ...Array(200).fill('b')];
    const window = [...Array(30).fill('a'), ...Array(20).fill('b'), 'new', 'new', 'new'];
    for (const name of categoricalTests) {
      const o = runStatTest(name, categorical(reference, window));
      expectFinite(o);
      if (name === 'chi2') expect(o.kind === 'result' && o.drifted).toBe(true);
    }
  });

  it('NaN / null / undefined are counted as missing, not binned', () => {
    const column = numeric([...ref, null, Number.NaN], [0.1, null, undefined, Number.NaN, 0.2], true);
    expect([column.window.n, column.window.missing]).toEqual([2, 3]);
    for (const name of numericTests) expectFinite(runStatTest(name, column));
  });

  it('one category only on both sides: no drift, p-value 1', () => {
    const o = runStatTest('chi2', categorical(['only', 'only'], ['only']));
    expect(o).toMatchObject({ kind: 'result', statistic: 0, pValue: 1, drifted: false });
    for (const name of categoricalTests) expectFinite(runStatTest(name, categorical(['only'], ['only'])));
  });

  it('uses raw samples when both are present (exact) and histograms otherwise (binned)', () => {
    const shifted = ref.map((x) => x + 0.3);
    expect(runStatTest('ks', numeric(ref, shifted, true))).toMatchObject({ basis: 'exact' });
    expect(runStatTest('ks', numeric(ref, shifted))).toMatchObject({ basis: 'binned' });
    expect(runStatTest('wasserstein', numeric(ref, shifted))).toMatchObject({
      basis: 'binned',
      pValue: null,
    });
  });
});

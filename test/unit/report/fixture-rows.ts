/**
 * A known day of one classifier, for the report's unit tests and the HTML test: 24 hourly windows of v1, a
 * canary v2 from hour 12, drift of two features from hour 14 followed by an accuracy drop, and the alerts
 * an alerter would raise about it (each event its own id, as the alerter's hash of the status makes it). Deterministic (seeded), so the screenshot does not change between runs.
 */
import { seededRandom } from '../../../services/simulator/src/prng.ts';
import type { AlertRow, DriftRow, PerformanceRow, ReportRows } from '../../../services/report/src/rows.ts';

export const FIXTURE_MODEL = 'churn';
export const FIXTURE_START_MS = Date.parse('2026-03-01T00:00:00Z');
export const HOUR_MS = 3_600_000;
export const FIXTURE_HOURS = 24;
export const DRIFT_FROM_HOUR = 14;
const FEATURES: [name: string, method: string][] = [
  ['age', 'ks'],
  ['income', 'ks'],
  ['plan', 'chi2'],
  ['region', 'chi2'],
  ['tenure_months', 'wasserstein'],
  ['__prediction__', 'chi2'],
];
const DRIFTING = new Set(['income', 'tenure_months']);

const windowOf = (h: number) => ({
  startMs: FIXTURE_START_MS + h * HOUR_MS,
  endMs: FIXTURE_START_MS + (h + 1) * HOUR_MS,
});

function performanceRows(random: () => number): PerformanceRow[] {
  const rows: PerformanceRow[] = [];
  for (const version of ['v1', 'v2']) {
    for (let h = version === 'v1' ? 0 : 12; h < FIXTURE_HOURS; h++) {
      const drop = version === 'v1' && h >= DRIFT_FROM_HOUR + 1 ? 0.012 * (h - DRIFT_FROM_HOUR) : 0;
      const accuracy = (version === 'v1' ? 0.91 : 0.9) - drop + (random() - 0.5) * 0.01;
      const samples = version === 'v1' ? 1100 + Math.floor(random() * 200) : 250 + Math.floor(random() * 50);
      const base = { version, windowSize: '1h', ...windowOf(h), samples, final: h < FIXTURE_HOURS - 1 };
      rows.push({ ...base, metric: 'accuracy', value: accuracy });
      rows.push({ ...base, metric: 'f1_macro', value: accuracy - 0.06 + (random() - 0.5) * 0.01 });
    }
  }
  // A coarser window size of the same data: the report picks the finer one and says so.
  rows.push({
    version: 'v1',
    windowSize: '1d',
    startMs: FIXTURE_START_MS,
    endMs: FIXTURE_START_MS + 24 * HOUR_MS,
    metric: 'accuracy',
    value: 0.87,
    samples: 28_800,
    final: false,
  });
  return rows;
}

function featureRow(
  version: string,
  h: number,
  feature: string,
  method: string,
  random: () => number,
): DriftRow {
  const drifting = DRIFTING.has(feature) && h >= DRIFT_FROM_HOUR;
  const predictionDrift = feature === '__prediction__' && h >= DRIFT_FROM_HOUR + 2;
  const base = { version, ...windowOf(h), feature, method, samples: 1200 };
  if (method === 'wasserstein') {
    const statistic = drifting ? 0.12 + 0.02 * (h - DRIFT_FROM_HOUR) : 0.02 + random() * 0.04;
    return { ...base, statistic, pValue: null, threshold: 0.1, drifted: statistic >= 0.1 };
  }
  const pValue = drifting || predictionDrift ? 10 ** -(3 + (h - DRIFT_FROM_HOUR)) : 0.05 + random() * 0.9;
  return { ...base, statistic: drifting ? 0.21 : 0.03, pValue, threshold: 0.05, drifted: pValue <= 0.05 };
}

function driftRows(random: () => number): DriftRow[] {
  const rows: DriftRow[] = [];
  for (const version of ['v1', 'v2']) {
    for (let h = version === 'v1' ? 0 : 12; h < FIXTURE_HOURS; h++) {
      const features = FEATURES.map(([f, m]) => featureRow(version, h, f, m, random));
      rows.push(...features);
      const share = features.filter((r) => r.drifted).length / features.length;
      rows.push({
        version,
        ...windowOf(h),
        feature: '__dataset__',
        method: 'share_drifted',
        statistic: share,
        pValue: null,
        threshold: 0.3,
        drifted: share >= 0.3,
        samples: 1200,
      });
    }
  }
  rows.push({
    version: 'v1',
    startMs: windowOf(3).startMs,
    endMs: windowOf(DRIFT_FROM_HOUR + 2).startMs + 1_800_000,
    feature: '__error__',
    method: 'adwin',
    statistic: 0.19,
    pValue: null,
    threshold: null,
    drifted: true,
    samples: 14_000,
  });
  return rows;
}

function alert(id: string, h: number, rest: Partial<AlertRow>): AlertRow {
  const w = windowOf(h);
  return {
    alertId: id,
    version: 'v1',
    kind: 'PERFORMANCE',
    severity: 'WARNING',
    status: 'FIRING',
    windowStartMs: w.startMs,
    windowEndMs: w.endMs,
    atMs: w.endMs + 120_000,
    metric: 'accuracy',
    value: null,
    threshold: null,
    message: '',
    ...rest,
  };
}

export function fixtureAlerts(): AlertRow[] {
  return [
    alert('a-lat', 5, {
      kind: 'LATENCY',
      severity: 'INFO',
      metric: 'latency_p99_ms',
      value: 212,
      threshold: 200,
      message: 'p99 latency 212 ms above 200 ms',
    }),
    alert('a-lat-resolved', 6, {
      kind: 'LATENCY',
      severity: 'INFO',
      status: 'RESOLVED',
      metric: 'latency_p99_ms',
      value: 150,
      threshold: 200,
      message: 'p99 latency back to 150 ms',
    }),
    alert('a-drift', DRIFT_FROM_HOUR, {
      kind: 'DATA_DRIFT',
      metric: 'share_drifted',
      value: 0.33,
      threshold: 0.3,
      message: '2 of 6 features drifted: income (ks p=1e-3), tenure_months (wasserstein 0.12)',
    }),
    alert('a-pred', DRIFT_FROM_HOUR + 2, {
      kind: 'PREDICTION_DRIFT',
      metric: 'chi2',
      value: 1e-5,
      threshold: 0.05,
      message: 'predicted label distribution changed <yes> share up',
    }),
    alert('a-acc', DRIFT_FROM_HOUR + 3, {
      value: 0.86,
      threshold: 0.88,
      message: 'accuracy 0.86 below 0.88 for 2 windows',
    }),
    alert('a-acc-crit', DRIFT_FROM_HOUR + 6, {
      severity: 'CRITICAL',
      value: 0.83,
      threshold: 0.85,
      message: 'accuracy 0.83 below 0.85: retrain triggered',
    }),
  ];
}

/** The rows as the report's query would return them. */
export function fixtureRows(): ReportRows {
  const random = seededRandom(7);
  return {
    performance: performanceRows(random),
    drift: driftRows(random),
    alerts: fixtureAlerts(),
    missingTables: [],
    truncated: [],
  };
}

export const FIXTURE_RANGE = { fromMs: FIXTURE_START_MS, toMs: FIXTURE_START_MS + FIXTURE_HOURS * HOUR_MS };

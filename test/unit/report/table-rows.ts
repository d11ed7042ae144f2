/**
 * The report fixture as ClickHouse rows (migrations 0005 and 0009, and the alerts table whatever its time
 * columns), plus rows the report must leave out. Used by test/integration/report-html.test.ts.
 */
import type { AlertRow, DriftRow, PerformanceRow } from '../../../services/report/src/rows.ts';
import { FIXTURE_MODEL, FIXTURE_START_MS, HOUR_MS } from './fixture-rows.ts';

const seconds = (ms: number) => Math.floor(ms / 1000);
/** Written later than the noise's older revisions, so FINAL keeps these. */
const REVISION = 100;

export function performanceTableRows(rows: PerformanceRow[], model = FIXTURE_MODEL, revision = REVISION) {
  return rows.map((r) => ({
    model_id: model,
    model_version: r.version,
    segment: '',
    window_size: r.windowSize,
    window_id: r.startMs,
    window_start: seconds(r.startMs),
    window_end: seconds(r.endMs),
    window_start_ms: r.startMs,
    window_end_ms: r.endMs,
    metric: r.metric,
    value: r.value,
    sample_count: r.samples,
    baseline: null,
    delta: null,
    is_final: r.final ? 1 : 0,
    revision,
  }));
}

export function driftTableRows(rows: DriftRow[], model = FIXTURE_MODEL, version = REVISION, decisive = 1) {
  return rows.map((r) => ({
    model_id: model,
    model_version: r.version,
    window_start: seconds(r.startMs),
    window_end: seconds(r.endMs),
    feature: r.feature,
    feature_type: 'numeric',
    method: r.method,
    statistic: r.statistic,
    p_value: r.pValue,
    p_value_adjusted: null,
    threshold: r.threshold,
    drifted: r.drifted ? 1 : 0,
    decisive,
    reason: '',
    basis: 'exact',
    correction: 'none',
    sample_count: r.samples,
    reference_count: 5000,
    profile_id: 'fixture',
    detail: '{}',
    input_version: version,
    computed_at: seconds(r.endMs),
  }));
}

/** Alert rows shaped by the table's own columns: DateTime gets seconds, an integer column milliseconds. */
export function alertTableRows(rows: AlertRow[], columns: { name: string; type: string }[]) {
  const time = (type: string, ms: number) => (/DateTime/.test(type) ? seconds(ms) : ms);
  return rows.map((a) => {
    const fields: Record<string, unknown> = {
      alert_id: a.alertId,
      model_id: FIXTURE_MODEL,
      model_version: a.version,
      kind: a.kind,
      severity: a.severity,
      status: a.status,
      metric: a.metric,
      value: a.value,
      threshold: a.threshold,
      message: a.message,
    };
    const times: Record<string, number> = {
      window_start: a.windowStartMs,
      window_start_ms: a.windowStartMs,
      window_end: a.windowEndMs,
      window_end_ms: a.windowEndMs,
      created_at: a.atMs,
      created_at_ms: a.atMs,
    };
    const row: Record<string, unknown> = {};
    for (const c of columns) {
      if (c.name in fields) row[c.name] = fields[c.name];
      else if (c.name in times) row[c.name] = time(c.type, times[c.name]!);
    }
    return row;
  });
}

const base: PerformanceRow = {
  version: 'v1',
  windowSize: '1h',
  startMs: FIXTURE_START_MS,
  endMs: FIXTURE_START_MS + HOUR_MS,
  metric: 'accuracy',
  value: 0.123,
  samples: 10,
  final: false,
};
const drift: DriftRow = {
  version: 'v1',
  startMs: FIXTURE_START_MS,
  endMs: FIXTURE_START_MS + HOUR_MS,
  feature: 'age',
  method: 'ks',
  statistic: 0.9,
  pValue: 1e-9,
  threshold: 0.05,
  drifted: true,
  samples: 10,
};

/** Rows the report must not show: other models, older revisions, rolling and per-class figures, other tests. */
export function noiseRows() {
  return {
    performance: [
      ...performanceTableRows([base], 'other-model'),
      ...performanceTableRows([base], FIXTURE_MODEL, 1),
      ...performanceTableRows([{ ...base, windowSize: 'last_1000' }]),
      ...performanceTableRows([{ ...base, metric: 'precision:yes' }]),
      ...performanceTableRows([{ ...base, startMs: FIXTURE_START_MS + 24 * HOUR_MS }]),
    ],
    drift: [
      ...driftTableRows([drift], 'other-model'),
      ...driftTableRows([drift], FIXTURE_MODEL, 1),
      ...driftTableRows([{ ...drift, method: 'psi' }], FIXTURE_MODEL, REVISION, 0),
      ...driftTableRows([{ ...drift, startMs: FIXTURE_START_MS - HOUR_MS }]),
    ],
  };
}

/**
 * A small, hand-made monitoring history of one model in ClickHouse rows (the tables of
 * infra/clickhouse/migrations), whose answers are known by construction. Used by test/integration/mcp.test.ts.
 *
 * Model `mcp-model`, window [T0, T0 + 1h):
 * - v1: 40 predictions i = 1..40 with age = i and plan = 'pro' when i % 4 == 0 else 'basic'; two more
 *   (i = 41, 42) with plan 'basic' and no age. Predicted label 'yes' for odd i, 'no' for even i. Every
 *   prediction i ≤ 40 is labeled; it is wrong exactly when i % 5 == 0 (8 wrong: 5, 10, ..., 40).
 * - v2: 5 predictions.
 * - reference profile of v1 built by the drift monitor's ProfileBuilder from age = 1..100 and plan 60 basic /
 *   40 pro.
 */
import { ProfileBuilder } from '../../../services/drift-monitor/src/profile-builder.ts';
import { profileToJSON } from '../../../services/drift-monitor/src/profile.ts';

export const MODEL = 'mcp-model';
export const T0 = Date.UTC(2026, 2, 1, 0, 0, 0);
export const HOUR = 3_600_000;
const s = (ms: number) => Math.floor(ms / 1000);

function inference(i: number, version: string, features: Record<string, number | string>) {
  const names = Object.keys(features);
  const num = names.filter((n) => typeof features[n] === 'number');
  const cat = names.filter((n) => typeof features[n] === 'string');
  const at = T0 + i * 60_000;
  return {
    prediction_id: `${version}-p${i}`,
    model_id: MODEL,
    model_version: version,
    event_time: s(at),
    event_time_ms: at,
    predicted_label: i % 2 === 1 ? 'yes' : 'no',
    predicted_value: null,
    scores: JSON.stringify({ yes: i % 2 === 1 ? 0.7 : 0.3, no: i % 2 === 1 ? 0.3 : 0.7 }),
    features: JSON.stringify(features),
    num_feature_names: num,
    num_feature_values: num.map((n) => features[n] as number),
    cat_feature_names: cat,
    cat_feature_values: cat.map((n) => features[n] as string),
    latency_ms: 12.5,
    tag_keys: [],
    tag_values: [],
    source_partition: 0,
    source_offset: i,
    ingested_at: s(at),
  };
}

export const V1_IDS = Array.from({ length: 40 }, (_, k) => `v1-p${k + 1}`);

export function inferenceRows() {
  const v1 = Array.from({ length: 40 }, (_, k) => k + 1).map((i) =>
    inference(i, 'v1', { age: i, plan: i % 4 === 0 ? 'pro' : 'basic' }),
  );
  const noAge = [41, 42].map((i) => inference(i, 'v1', { plan: 'basic' }));
  const v2 = [1, 2, 3, 4, 5].map((i) => inference(i, 'v2', { age: 1000 + i, plan: 'pro' }));
  // A re-sent copy of one prediction: FINAL keeps one.
  return [...v1, ...noAge, ...v2, inference(7, 'v1', { age: 7, plan: 'basic' })];
}

export function labeledRows() {
  return Array.from({ length: 40 }, (_, k) => k + 1).map((i) => {
    const predicted = i % 2 === 1 ? 'yes' : 'no';
    const wrong = i % 5 === 0;
    const at = T0 + i * 60_000;
    return {
      prediction_id: `v1-p${i}`,
      model_id: MODEL,
      model_version: 'v1',
      predicted_label: predicted,
      predicted_value: null,
      scores: '{}',
      label: wrong ? (predicted === 'yes' ? 'no' : 'yes') : predicted,
      label_value: null,
      predicted_at: s(at),
      predicted_at_ms: at,
      labeled_at: s(at + 1000),
      labeled_at_ms: at + 1000,
      label_delay_ms: 1000,
      correction: 0,
      tag_keys: [],
      tag_values: [],
      source_partition: 0,
      source_offset: i,
      ingested_at: s(at),
    };
  });
}

function perf(version: string, startMs: number, metric: string, value: number, revision: number) {
  return {
    model_id: MODEL,
    model_version: version,
    segment: '',
    window_size: '30m',
    window_id: startMs,
    window_start: s(startMs),
    window_end: s(startMs + HOUR / 2),
    window_start_ms: startMs,
    window_end_ms: startMs + HOUR / 2,
    metric,
    value,
    sample_count: 20,
    baseline: 0.9,
    delta: value - 0.9,
    is_final: 1,
    revision,
  };
}

export function performanceRows() {
  return [
    perf('v1', T0, 'accuracy', 0.5, 1), // replaced by the next row (newer revision)
    perf('v1', T0, 'accuracy', 0.85, 2),
    perf('v1', T0 + HOUR / 2, 'accuracy', 0.75, 2),
    perf('v1', T0, 'f1_macro', 0.8, 2),
  ];
}

function drift(feature: string, method: string, statistic: number, drifted: number, decisive = 1) {
  return {
    model_id: MODEL,
    model_version: 'v1',
    window_start: s(T0),
    window_end: s(T0 + HOUR),
    feature,
    feature_type: feature === 'plan' ? 'categorical' : feature === 'age' ? 'numeric' : 'dataset',
    method,
    statistic,
    p_value: method === 'share_drifted' ? null : drifted ? 0.001 : 0.4,
    p_value_adjusted: null,
    threshold: 0.05,
    drifted,
    decisive,
    reason: '',
    basis: 'exact',
    correction: 'none',
    sample_count: 42,
    reference_count: 100,
    profile_id: 'fixture',
    detail: '{}',
    input_version: 1,
    computed_at: s(T0 + HOUR),
  };
}

export function driftRows() {
  return [
    drift('age', 'ks', 0.6, 1),
    drift('age', 'psi', 2.5, 1, 0), // not the deciding test: never listed
    drift('plan', 'chi2', 0.9, 0),
    drift('__dataset__', 'share_drifted', 0.5, 1),
  ];
}

export function comparisonRows() {
  return [
    {
      model_id: MODEL,
      baseline_version: 'v1',
      candidate_version: 'v2',
      baseline_arm: 'control',
      candidate_arm: 'canary',
      segment: '',
      window_size: '1h',
      window_id: T0,
      window_start: s(T0),
      window_end: s(T0 + HOUR),
      metric: 'accuracy',
      test: 'two_proportion_z',
      baseline_value: 0.8,
      candidate_value: 0.6,
      baseline_count: 40,
      candidate_count: 5,
      statistic: -2.9,
      p_value: 0.0037,
      df: null,
      alpha: 0.05,
      verdict: 'worse',
      is_final: 1,
      revision: 1,
    },
  ];
}

export function profileRow() {
  const builder = new ProfileBuilder();
  for (let i = 1; i <= 100; i++)
    builder.add({ features: { age: i, plan: i <= 60 ? 'basic' : 'pro' }, prediction: { label: 'yes' } });
  const { profile } = builder.build({ modelId: MODEL, modelVersion: 'v1', source: 'fixture', createdAt: T0 });
  return {
    model_id: MODEL,
    model_version: 'v1',
    profile_id: profile.profileId,
    created_at: s(T0),
    source: 'fixture',
    event_count: 100,
    feature_count: 2,
    profile: JSON.stringify(profileToJSON(profile)),
  };
}

function alert(id: string, kind: string, metric: string, status: string, createdMs: number) {
  return {
    alert_id: id,
    model_id: MODEL,
    model_version: 'v1',
    kind,
    severity: 'WARNING',
    status,
    window_start: s(T0),
    window_end: s(T0 + HOUR),
    window_start_ms: T0,
    window_end_ms: T0 + HOUR,
    metric,
    value: 0.5,
    threshold: 0.3,
    message: `${status} ${kind} ${metric}`,
    evidence: JSON.stringify([{ subject: 'age', type: 'ks', score: 0.6 }]),
    evidence_subjects: ['age'],
    evidence_types: ['ks'],
    evidence_scores: [0.6],
    diagnosis: kind === 'DATA_DRIFT' ? 'data_drift' : null,
    created_at: s(createdMs),
    created_at_ms: createdMs,
    provisional: 0,
  };
}

/** Series: accuracy fired then resolved (closed); drift fired (open); latency fired, resolved, fired (open). */
export function alertRows() {
  return [
    alert('a-acc-fire', 'PERFORMANCE', 'accuracy', 'FIRING', T0 + 1000),
    alert('a-acc-resolve', 'PERFORMANCE', 'accuracy', 'RESOLVED', T0 + 2000),
    alert('a-drift-fire', 'DATA_DRIFT', 'share_drifted', 'FIRING', T0 + 3000),
    alert('a-lat-fire', 'LATENCY', 'latency_p99', 'FIRING', T0 + 1000),
    alert('a-lat-resolve', 'LATENCY', 'latency_p99', 'RESOLVED', T0 + 2000),
    alert('a-lat-refire', 'LATENCY', 'latency_p99', 'FIRING', T0 + 4000),
  ];
}

function requestPrediction(version: string, i: number, atMs: number, label: string) {
  return {
    request_id: `r${atMs}-${i}`,
    model_id: MODEL,
    model_version: version,
    prediction_id: `${version}-r${atMs}-${i}`,
    event_time: s(atMs + i * 1000),
    event_time_ms: atMs + i * 1000,
    predicted_label: label,
    ingested_at: s(atMs),
  };
}

/**
 * Shadow agreement. Hour [T0, T0 + 1h): 20 requests scored by v1 ('yes') and v2 ('no' when i % 5 == 0, so
 * 16/20 agree); v3 scores the first 10 as v1 does (v1~v3 10/10, v2~v3 8/10). Hour [T0 + 1h, T0 + 2h): 10
 * requests on which v1 and v2 agree. One row sent twice: FINAL keeps one.
 */
export function requestPredictionRows() {
  const first = Array.from({ length: 20 }, (_, i) => [
    requestPrediction('v1', i, T0, 'yes'),
    requestPrediction('v2', i, T0, i % 5 === 0 ? 'no' : 'yes'),
    ...(i < 10 ? [requestPrediction('v3', i, T0, 'yes')] : []),
  ]).flat();
  const second = Array.from({ length: 10 }, (_, i) => [
    requestPrediction('v1', i, T0 + HOUR, 'yes'),
    requestPrediction('v2', i, T0 + HOUR, 'yes'),
  ]).flat();
  return [...first, ...second, requestPrediction('v2', 5, T0, 'no')];
}

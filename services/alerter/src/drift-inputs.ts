import { offsetTotals, query, type InputDeps } from './input-deps.ts';
import type { Contributor, Detection, DriftWindow } from './window.ts';
import {
  DRIFT_METRICS,
  type DriftMetricReadRow,
  type DriftMetricAnyRow,
} from '../../core/src/tables/drift-metrics.ts';
import { boundCondition, type ReadBound } from './read-bound.ts';
import {
  DATASET_FEATURE,
  ERROR_FEATURE,
  isJointDriftFeature,
  isReservedName,
  PREDICTION_FEATURE,
} from '../../core/src/records/reserved-names.ts';

/** A drift_metrics row as the alerter reads it, its window bounds as epoch seconds (`start_s`, `end_s`). */
export type DriftRow = Pick<
  DriftMetricAnyRow,
  | 'model_id'
  | 'model_version'
  | 'feature'
  | 'method'
  | 'statistic'
  | 'p_value'
  | 'threshold'
  | 'drifted'
  | 'decisive'
  | 'sample_count'
  | 'detail'
> & { start_s: string | number; end_s: string | number };

export function emptyWindow(r: DriftRow): DriftWindow {
  return {
    source: 'drift',
    modelId: r.model_id,
    modelVersion: r.model_version,
    startMs: Number(r.start_s) * 1000,
    endMs: Number(r.end_s) * 1000,
    features: [],
    share: null,
    prediction: null,
    missing: [],
    detections: [],
    latency: {},
    deadLetter: null,
  };
}

function referenceRate(detail: string): number {
  try {
    const rate = (JSON.parse(detail) as { reference_rate?: unknown }).reference_rate;
    return typeof rate === 'number' ? rate : 0;
  } catch {
    return 0;
  }
}

/** The multivariate row's contributors (detail JSON); none when absent or malformed. */
function contributors(detail: string): Contributor[] {
  try {
    const list = (JSON.parse(detail) as { contributors?: unknown }).contributors;
    if (!Array.isArray(list)) return [];
    return list
      .filter((c): c is Contributor => typeof c === 'object' && c !== null && typeof c.feature === 'string')
      .map((c) => ({ feature: c.feature, share: Number(c.share) || 0, rise: Number(c.rise) || 0 }));
  } catch {
    return [];
  }
}

/**
 * Adds one drift_metrics row to its window: dataset share, output test, multivariate or embedding test,
 * missing rate or a feature's test.
 */
export function addRow(w: DriftWindow, r: DriftRow): void {
  const result = {
    feature: r.feature,
    method: r.method,
    statistic: Number(r.statistic),
    pValue: r.p_value === null ? null : Number(r.p_value),
    threshold: r.threshold === null ? null : Number(r.threshold),
    drifted: Number(r.drifted) === 1,
  };
  if (r.feature === DATASET_FEATURE) w.share = result.statistic;
  else if (r.method === 'missing_rate' && !isReservedName(r.feature)) {
    w.missing.push({ feature: r.feature, rate: result.statistic, referenceRate: referenceRate(r.detail) });
  } else if (Number(r.decisive) !== 1) return;
  else if (r.feature === PREDICTION_FEATURE) w.prediction = result;
  else if (isJointDriftFeature(r.feature)) {
    (w.joint ??= []).push({ ...result, contributors: contributors(r.detail) });
  } else if (!isReservedName(r.feature)) w.features.push(result);
}

const window = (d: InputDeps, bound: ReadBound, shiftMs = 0) => `${d.database}.${DRIFT_METRICS} FINAL
     WHERE ${boundCondition(bound, 'toUInt64(toUInt32(window_end)) * 1000', shiftMs)}`;

/**
 * How far behind the drift windows a detection may fire and still be read: detectors run on labeled
 * predictions, so they fire on label time, possibly after the drift window of that time was evaluated.
 */
const DETECTION_LATENESS_MS = 14 * 86_400_000;

async function detections(
  d: InputDeps,
  bound: ReadBound,
): Promise<(DriftRow & Pick<DriftMetricReadRow, 'input_version'>)[]> {
  return query(
    d.clickhouse,
    `SELECT model_id, model_version, toUInt32(window_start) AS start_s, toUInt32(window_end) AS end_s, feature,
            method, statistic, p_value, threshold, drifted, decisive, sample_count, detail, input_version
     FROM ${window(d, bound, DETECTION_LATENESS_MS)} AND feature = '${ERROR_FEATURE}'`,
  );
}

/** How many windows' latency queries run at once: a round after a long outage may read hundreds of windows. */
const LATENCY_QUERIES_AT_ONCE = 8;

/** `fn` over `items`, `size` at a time, results in the items' order. */
async function mapInChunks<T, R>(
  items: readonly T[],
  size: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** Latency percentiles of a window's predictions from inference_log (deduplicated with FINAL). */
async function latency(d: InputDeps, w: DriftWindow): Promise<Record<string, number>> {
  if (d.percentiles.length === 0) return {};
  const levels = d.percentiles.map((p) => p / 100).join(', ');
  const [row] = await query<{ n: string | number; q: number[] }>(
    d.clickhouse,
    `SELECT count() AS n, quantilesExact(${levels})(assumeNotNull(latency_ms)) AS q
     FROM ${d.database}.inference_log FINAL
     WHERE model_id = '${w.modelId.replace(/['\\]/g, '\\$&')}'
       AND model_version = '${w.modelVersion.replace(/['\\]/g, '\\$&')}'
       AND event_time_ms >= ${w.startMs} AND event_time_ms < ${w.endMs} AND isNotNull(latency_ms)`,
  );
  if (!row || Number(row.n) === 0) return {};
  return Object.fromEntries(d.percentiles.map((p, i) => [String(p), Number(row.q[i])]));
}

/**
 * Closed drift windows within `bound`, each with the concept-drift detections that fired before its end
 * (evaluate.ts keeps those not counted yet),
 * its latency percentiles and the dead-letter totals at read time.
 */
export async function readDriftWindows(d: InputDeps, bound: ReadBound): Promise<DriftWindow[]> {
  const rows = await query<DriftRow>(
    d.clickhouse,
    `SELECT model_id, model_version, toUInt32(window_start) AS start_s, toUInt32(window_end) AS end_s, feature,
            method, statistic, p_value, threshold, drifted, decisive, sample_count, detail
     FROM ${window(d, bound)} AND feature != '${ERROR_FEATURE}'`,
  );
  const windows = new Map<string, DriftWindow>();
  for (const r of rows) {
    const key = `${r.model_id}\u0000${r.model_version}\u0000${r.start_s}`;
    const w = windows.get(key) ?? emptyWindow(r);
    windows.set(key, w);
    addRow(w, r);
  }
  if (windows.size === 0) return [];
  const deadLetterTotals = async () => {
    // Dead letters before inputs, as before: the share they make is then never overstated.
    const dead = await offsetTotals(d.admin, [d.deadLetterTopic]);
    return { dead, input: await offsetTotals(d.admin, d.inputTopics) };
  };
  const [hits, deadLetter] = await Promise.all([detections(d, bound), deadLetterTotals()]);
  const list = [...windows.values()];
  const latencies = await mapInChunks(list, LATENCY_QUERIES_AT_ONCE, (w) => latency(d, w));
  list.forEach((w, i) => {
    w.detections = hits
      .filter((h) => h.model_id === w.modelId && h.model_version === w.modelVersion)
      .filter((h) => Number(h.end_s) * 1000 < w.endMs)
      .map((h): Detection => ({
        detector: h.method,
        meanError: Number(h.statistic),
        count: Number(h.sample_count),
        atMs: Number(h.end_s) * 1000,
        offset: Number(h.input_version),
      }));
    w.latency = latencies[i]!;
    w.deadLetter = { ...deadLetter };
  });
  return list;
}

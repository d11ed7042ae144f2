import type { ClickHouseClient } from '../../../core/src/clickhouse/client.ts';
import { sqlString } from '../../../core/src/clickhouse/sql-string.ts';
import {
  PERFORMANCE_ESTIMATES,
  type PerformanceEstimateAnyRow,
} from '../../../core/src/tables/performance-estimates.ts';

/** A performance_estimates accuracy row as the demo reads it (FINAL: the estimate, or its realized revision). */
export type EstimateLineRow = Pick<
  PerformanceEstimateAnyRow,
  | 'model_id'
  | 'model_version'
  | 'window_start_ms'
  | 'estimate'
  | 'band_low'
  | 'band_high'
  | 'sample_count'
  | 'realized'
  | 'outside_band'
  | 'concept_drift'
  | 'revision'
>;

/** Windows whose estimate, and whose realized figure, the demo has printed. */
export interface PrintedEstimates {
  estimated: Set<string>;
  realized: Set<string>;
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const f3 = (v: number) => v.toFixed(3);

/**
 * The lines for estimates not printed yet: an estimated line as soon as a window closes on its predictions,
 * and a realized line once its labels are final (both at once when they landed between two polls). Pure.
 */
export function estimateLines(rows: readonly EstimateLineRow[], printed: PrintedEstimates): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const key = `${r.model_id}/${r.model_version} window ${hhmm(Number(r.window_start_ms))}`;
    if (!printed.estimated.has(key)) {
      printed.estimated.add(key);
      out.push(
        `  .. ESTIMATED ${key}: accuracy ${f3(r.estimate)} (95% band ${f3(r.band_low)}-${f3(r.band_high)}) ` +
          `from ${Number(r.sample_count)} predictions, before any label`,
      );
    }
    if (Number(r.revision) === 1 && r.realized !== null && !printed.realized.has(key)) {
      printed.realized.add(key);
      const verdict =
        Number(r.concept_drift) === 1
          ? 'outside the band again: CONCEPT DRIFT (the scores no longer mean what they meant)'
          : Number(r.outside_band) === 1
            ? 'OUTSIDE the band'
            : 'within the band';
      out.push(
        `  .. REALIZED  ${key}: accuracy ${f3(r.realized)} beside the estimate ${f3(r.estimate)}, ${verdict}`,
      );
    }
  }
  return out;
}

/**
 * Reads the accuracy estimates of the demo's models (event time from `fromMs`, the demo's window) and returns
 * the lines not printed yet. A table the estimator has not created yet gives no lines.
 */
export async function collectEstimateLines(
  ch: ClickHouseClient,
  db: string,
  models: readonly string[],
  windowSize: string,
  fromMs: number,
  printed: PrintedEstimates,
): Promise<string[]> {
  let rows: EstimateLineRow[];
  try {
    const result = await ch.query({
      query: `SELECT model_id, model_version, window_start_ms, estimate, band_low, band_high, sample_count,
                     realized, outside_band, concept_drift, revision
              FROM ${db}.${PERFORMANCE_ESTIMATES} FINAL
              WHERE model_id IN (${models.map(sqlString).join(', ')}) AND window_size = ${sqlString(windowSize)}
                AND metric = 'accuracy' AND window_start_ms >= ${Math.floor(fromMs)}
              ORDER BY window_start_ms, model_id, model_version`,
      format: 'JSONEachRow',
    });
    rows = await result.json<EstimateLineRow>();
  } catch {
    return [];
  }
  return estimateLines(rows, printed);
}

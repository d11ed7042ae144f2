import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { sqlString } from '../../core/src/clickhouse/sql-string.ts';
import { ClickHouseWriter } from '../../core/src/clickhouse/writer.ts';
import type { PartitionClock } from '../../core/src/windows/window-finality.ts';
import type { EstimateRow } from './rows.ts';

/** A row of estimator_calibrations. */
export interface CalibrationRow {
  model_id: string;
  model_version: string;
  source_partition: number;
  through_offset: number;
  labeled: number;
  complete: number;
  state: string;
  written_at_ms: number;
}

/** A row of estimate_partials. */
export interface PartialRow {
  model_id: string;
  model_version: string;
  window_start_ms: number;
  window_end_ms: number;
  source_partition: number;
  through_offset: number;
  stream_time_ms: number;
  state: string;
  written_at_ms: number;
}

/** A window of a model version whose partial states exist and that has no estimate yet. */
export interface PendingWindow {
  model_id: string;
  model_version: string;
  window_start_ms: number;
  window_end_ms: number;
}

/** The realized figure of a window's metric (performance_metrics, final). */
export interface RealizedFigure {
  model_id: string;
  model_version: string;
  window_start_ms: number;
  metric: string;
  value: number;
  count: number;
}

const num = (v: unknown) => Number(v);

/** The columns of performance_estimates, named (a join's `*` would bring the right side's too). */
const ESTIMATE_COLUMNS = [
  'model_id',
  'model_version',
  'window_size',
  'window_start',
  'window_end',
  'window_start_ms',
  'window_end_ms',
  'metric',
  'estimate',
  'std_error',
  'band_low',
  'band_high',
  'figure_count',
  'sample_count',
  'calibration_count',
  'baseline',
  'baseline_count',
  'baseline_source',
  'realized',
  'realized_count',
  'estimation_error',
  'outside_band',
  'concept_drift',
  'revision',
  'written_at_ms',
].join(', ');

/** The estimator's ClickHouse I/O: nothing here decides anything. */
export class EstimatorStore {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly db: string,
    private readonly writer = new ClickHouseWriter(client),
  ) {}

  private async rows<T>(query: string): Promise<T[]> {
    const result = await this.client.query({ query, format: 'JSONEachRow' });
    return (await result.json()) as T[];
  }

  async insert(table: string, values: object[]): Promise<void> {
    await this.writer.insert(this.db, table, values);
  }

  async calibrations(): Promise<CalibrationRow[]> {
    const rows = await this.rows<CalibrationRow>(`SELECT * FROM ${this.db}.estimator_calibrations FINAL`);
    return rows.map((r) => ({ ...r, through_offset: num(r.through_offset), labeled: num(r.labeled) }));
  }

  /** Partials of one source partition whose windows have no estimate yet. */
  async openPartials(partition: number, windowSize: string): Promise<PartialRow[]> {
    const rows = await this.rows<PartialRow>(
      `SELECT * FROM ${this.db}.estimate_partials FINAL WHERE source_partition = ${partition}
         AND (model_id, model_version, window_start_ms) NOT IN
           (SELECT model_id, model_version, window_start_ms FROM ${this.db}.performance_estimates
            WHERE window_size = ${sqlString(windowSize)})`,
    );
    return rows.map(numericPartial);
  }

  /**
   * Each model's clock on each source partition carrying it: its largest event time there, and when a partial
   * of it was last written (the core's window-finality.ts decides from them when a window is final).
   */
  async modelClocks(): Promise<Map<string, PartitionClock[]>> {
    const rows = await this.rows<{ model_id: string; p: string; t: string; w: string }>(
      `SELECT model_id, source_partition AS p, max(stream_time_ms) AS t, max(written_at_ms) AS w
       FROM ${this.db}.estimate_partials GROUP BY model_id, source_partition`,
    );
    const out = new Map<string, PartitionClock[]>();
    for (const r of rows) {
      const clock = { partition: num(r.p), timeMs: num(r.t), writtenAtMs: num(r.w) };
      out.set(r.model_id, [...(out.get(r.model_id) ?? []), clock]);
    }
    return out;
  }

  async pendingWindows(windowSize: string): Promise<PendingWindow[]> {
    const rows = await this.rows<Omit<PendingWindow, 'window_end_ms'> & { end_ms: string }>(
      `SELECT model_id, model_version, window_start_ms, any(window_end_ms) AS end_ms
       FROM ${this.db}.estimate_partials
       WHERE (model_id, model_version, window_start_ms) NOT IN
         (SELECT model_id, model_version, window_start_ms FROM ${this.db}.performance_estimates
          WHERE window_size = ${sqlString(windowSize)})
       GROUP BY model_id, model_version, window_start_ms`,
    );
    return rows.map((r) => ({
      model_id: r.model_id,
      model_version: r.model_version,
      window_start_ms: num(r.window_start_ms),
      window_end_ms: num(r.end_ms),
    }));
  }

  async partialsOf(w: PendingWindow): Promise<PartialRow[]> {
    const rows = await this.rows<PartialRow>(
      `SELECT * FROM ${this.db}.estimate_partials FINAL
       WHERE model_id = ${sqlString(w.model_id)} AND model_version = ${sqlString(w.model_version)}
         AND window_start_ms = ${w.window_start_ms}`,
    );
    return rows.map(numericPartial);
  }

  /** Estimates still waiting for their realized figure, with the final realized figure when there is one. */
  async realizable(windowSize: string): Promise<{ estimate: EstimateRow; realized: RealizedFigure }[]> {
    const size = sqlString(windowSize);
    const rows = await this.rows<EstimateRow & { r_value: number; r_count: string }>(
      `SELECT ${ESTIMATE_COLUMNS}, r_value, r_count FROM
         (SELECT * FROM ${this.db}.performance_estimates FINAL WHERE window_size = ${size} AND revision = 0) AS e
       ANY INNER JOIN
         (SELECT model_id, model_version, window_start_ms, metric, value AS r_value, sample_count AS r_count
          FROM ${this.db}.performance_metrics FINAL
          WHERE segment = '' AND window_size = ${size} AND is_final = 1) AS r
       USING (model_id, model_version, window_start_ms, metric)
       ORDER BY model_id, model_version, window_start_ms`,
    );
    return rows.map((r) => {
      const { r_value, r_count, ...rest } = r;
      const estimate = numericEstimate(rest);
      return {
        estimate,
        realized: { ...estimate, value: num(r_value), count: num(r_count) },
      };
    });
  }

  /** The last `n` revised accuracy rows of a version before `beforeMs`, oldest first. */
  async revisedAccuracy(
    modelId: string,
    modelVersion: string,
    windowSize: string,
    beforeMs: number,
    n: number,
  ) {
    const rows = await this.rows<EstimateRow>(
      `SELECT * FROM ${this.db}.performance_estimates FINAL
       WHERE model_id = ${sqlString(modelId)} AND model_version = ${sqlString(modelVersion)}
         AND window_size = ${sqlString(windowSize)} AND metric = 'accuracy' AND revision = 1
         AND window_start_ms < ${beforeMs}
       ORDER BY window_start_ms DESC LIMIT ${n}`,
    );
    return rows.map(numericEstimate).reverse();
  }
}

function numericPartial(r: PartialRow): PartialRow {
  return {
    ...r,
    window_start_ms: num(r.window_start_ms),
    window_end_ms: num(r.window_end_ms),
    through_offset: num(r.through_offset),
    stream_time_ms: num(r.stream_time_ms),
    written_at_ms: num(r.written_at_ms),
  };
}

function numericEstimate(r: EstimateRow): EstimateRow {
  return {
    ...r,
    window_start_ms: num(r.window_start_ms),
    window_end_ms: num(r.window_end_ms),
    sample_count: num(r.sample_count),
    calibration_count: num(r.calibration_count),
    baseline_count: num(r.baseline_count),
    realized_count: num(r.realized_count),
    written_at_ms: num(r.written_at_ms),
  };
}

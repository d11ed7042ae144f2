import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { sqlString } from '../../core/src/clickhouse/sql-string.ts';
import { ClickHouseWriter } from '../../core/src/clickhouse/writer.ts';
import type { ClosedRecord, PartialMeta } from './closer.ts';
import type { DetectorStateRow } from './detector-state-row.ts';
import { profileFromJSON, profileToJSON, type ReferenceProfile } from './profile.ts';
import type { DriftMetricRow, ModelWatermarkRow, PartialRow, WatermarkRow, WindowIdsRow } from './rows.ts';

export { sqlString };

const seconds = (ms: number) => Math.floor(ms / 1000);

/** What a partition restores from ClickHouse after an assignment. */
export interface StoredPartition {
  modelTimes: Map<string, number>;
  rows: PartialRow[];
  /** Prediction ids of each restored window, by `idKey`. */
  ids: Map<string, Set<string>>;
}

/** A model's stream time on one partition, and when it was last written (wall clock). */
export interface ModelMark {
  modelId: string;
  partition: number;
  timeMs: number;
  writtenAtMs: number;
}

/** The key of a window of a model version in the maps above. */
export function idKey(modelId: string, modelVersion: string, windowStartMs: number): string {
  return `${modelId}\u0000${modelVersion}\u0000${windowStartMs}`;
}

/**
 * The drift monitor's ClickHouse tables (migrations 0008-0010): profiles, partial window states, stream
 * times, closes, results and detector states. The only module of the service that speaks SQL.
 */
export class DriftStore {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly db: string,
    private readonly writer = new ClickHouseWriter(client),
  ) {}

  private async rows<T>(query: string): Promise<T[]> {
    const result = await this.client.query({ query, format: 'JSONEachRow' });
    return result.json<T>();
  }

  private async insert(table: string, values: object[]): Promise<void> {
    await this.writer.insert(this.db, table, values);
  }

  async insertProfile(p: ReferenceProfile): Promise<void> {
    await this.insert('reference_profiles', [
      {
        model_id: p.modelId,
        model_version: p.modelVersion,
        profile_id: p.profileId,
        created_at: seconds(p.createdAt),
        source: p.source,
        event_count: p.eventCount,
        feature_count: p.columns.filter((c) => c.role === 'feature').length,
        profile: JSON.stringify(profileToJSON(p)),
      },
    ]);
  }

  /** The newest profile of a model version (by created_at, then id), or undefined. */
  async activeProfile(modelId: string, modelVersion: string): Promise<ReferenceProfile | undefined> {
    const [row] = await this.rows<{ profile: string }>(
      `SELECT profile FROM ${this.db}.reference_profiles FINAL
       WHERE model_id = ${sqlString(modelId)} AND model_version = ${sqlString(modelVersion)}
       ORDER BY created_at DESC, profile_id DESC LIMIT 1`,
    );
    return row ? profileFromJSON(JSON.parse(row.profile)) : undefined;
  }

  /** Rows of a model version in inference_log (duplicates not removed: an upper bound, enough to wait on). */
  async inferenceCount(modelId: string, modelVersion: string): Promise<number> {
    const [row] = await this.rows<{ n: string }>(
      `SELECT count() AS n FROM ${this.db}.inference_log
       WHERE model_id = ${sqlString(modelId)} AND model_version = ${sqlString(modelVersion)}`,
    );
    return Number(row?.n ?? 0);
  }

  async profileById(profileId: string): Promise<ReferenceProfile | undefined> {
    const [row] = await this.rows<{ profile: string }>(
      `SELECT profile FROM ${this.db}.reference_profiles FINAL WHERE profile_id = ${sqlString(profileId)} LIMIT 1`,
    );
    return row ? profileFromJSON(JSON.parse(row.profile)) : undefined;
  }

  async listProfiles(modelId?: string): Promise<Record<string, unknown>[]> {
    const where = modelId === undefined ? '' : `WHERE model_id = ${sqlString(modelId)}`;
    return this.rows(
      `SELECT model_id, model_version, profile_id, toString(created_at) AS created_at, source, event_count, feature_count
       FROM ${this.db}.reference_profiles FINAL ${where} ORDER BY model_id, model_version, created_at`,
    );
  }

  /**
   * A partition's stored model stream times, the partial rows of the windows their model has not closed yet,
   * and the ids of those windows (rows up to each partial's through offset).
   */
  async partitionState(partition: number, graceMs: number): Promise<StoredPartition> {
    const marks = await this.rows<{ model_id: string; stream_time_ms: string }>(
      `SELECT model_id, stream_time_ms FROM ${this.db}.drift_model_watermarks FINAL WHERE source_partition = ${partition}`,
    );
    const modelTimes = new Map(marks.map((m) => [m.model_id, Number(m.stream_time_ms)]));
    // State written before per-model clocks has only the partition's stream time: it stands for every model.
    const legacy = await this.partitionStreamTime(partition);
    const fallback = Number.isFinite(legacy) ? legacy : -1;
    // transform() needs one integer type on both sides: everything as Int64 (18.16 and current).
    const names = [...modelTimes.keys()].map(sqlString).join(', ');
    const times = [...modelTimes.values()].join(', ');
    const clock =
      modelTimes.size === 0
        ? `toInt64(${fallback})`
        : `transform(model_id, [${names}], CAST([${times}] AS Array(Int64)), toInt64(${fallback}))`;
    const rows = (
      await this.rows<PartialRow>(
        `SELECT * FROM ${this.db}.drift_window_partials FINAL
         WHERE source_partition = ${partition} AND toInt64(window_end_ms) + ${graceMs} > ${clock}`,
      )
    ).map((r) => ({
      ...r,
      through_offset: Number(r.through_offset),
      window_start_ms: Number(r.window_start_ms),
      window_end_ms: Number(r.window_end_ms),
    }));
    for (const r of rows)
      if (!modelTimes.has(r.model_id) && Number.isFinite(legacy)) modelTimes.set(r.model_id, legacy);
    return { modelTimes, rows, ids: await this.windowIds(partition, rows) };
  }

  /** The partition's stream time over all models (drift_watermarks), -Infinity before its first batch. */
  private async partitionStreamTime(partition: number): Promise<number> {
    const [mark] = await this.rows<{ stream_time_ms: string }>(
      `SELECT stream_time_ms FROM ${this.db}.drift_watermarks FINAL WHERE source_partition = ${partition}`,
    );
    return mark ? Number(mark.stream_time_ms) : -Infinity;
  }

  /** The ids of the given partials: rows of their windows up to their through offsets, by window key. */
  private async windowIds(partition: number, partials: PartialRow[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (partials.length === 0) return out;
    const through = new Map(partials.map((p) => [idKey(p.model_id, p.model_version, p.window_start_ms), p]));
    const since = Math.min(...partials.map((p) => p.window_start_ms));
    const rows = await this.rows<{
      model_id: string;
      model_version: string;
      w: string;
      t: string;
      ids: string[];
    }>(
      `SELECT model_id, model_version, window_start_ms AS w, through_offset AS t, ids FROM ${this.db}.drift_window_ids FINAL
       WHERE source_partition = ${partition} AND window_start_ms >= ${since}`,
    );
    for (const r of rows) {
      const key = idKey(r.model_id, r.model_version, Number(r.w));
      const partial = through.get(key);
      if (partial === undefined || Number(r.t) > partial.through_offset) continue;
      const set = out.get(key) ?? new Set<string>();
      for (const id of r.ids) set.add(id);
      out.set(key, set);
    }
    return out;
  }

  /**
   * Ids first, then partials, then the stream times: stored stream times never run ahead of stored partials,
   * and a partial never holds an event whose id is not stored.
   */
  async writeBatch(batch: {
    ids: WindowIdsRow[];
    partials: PartialRow[];
    models: ModelWatermarkRow[];
    watermarks: WatermarkRow[];
  }): Promise<void> {
    await this.insert('drift_window_ids', batch.ids);
    await this.insert('drift_window_partials', batch.partials);
    await this.insert('drift_model_watermarks', batch.models);
    await this.insert('drift_watermarks', batch.watermarks);
  }

  /** Every model's stream time on every partition, with when (wall clock) it was last written. */
  async modelStreamTimes(): Promise<ModelMark[]> {
    const rows = await this.rows<Record<string, string | number>>(
      `SELECT model_id, source_partition, stream_time_ms, written_at_ms FROM ${this.db}.drift_model_watermarks FINAL`,
    );
    return rows.map((r) => ({
      modelId: String(r.model_id),
      partition: Number(r.source_partition),
      timeMs: Number(r.stream_time_ms),
      writtenAtMs: Number(r.written_at_ms),
    }));
  }

  /** Partials of windows no older than `sinceMs` (the closer's lookback); the closer decides which are final. */
  async partialsSince(sinceMs: number): Promise<PartialMeta[]> {
    const rows = await this.rows<Record<string, string | number>>(
      `SELECT model_id, model_version, window_start_ms, window_end_ms, source_partition, through_offset, profile_id, event_count
       FROM ${this.db}.drift_window_partials FINAL
       WHERE window_start_ms >= ${Math.max(0, Math.floor(sinceMs))}`,
    );
    return rows.map((r) => ({
      modelId: String(r.model_id),
      modelVersion: String(r.model_version),
      windowStartMs: Number(r.window_start_ms),
      windowEndMs: Number(r.window_end_ms),
      partition: Number(r.source_partition),
      through: Number(r.through_offset),
      profileId: String(r.profile_id),
      events: Number(r.event_count),
    }));
  }

  async closes(sinceMs: number): Promise<ClosedRecord[]> {
    const rows = await this.rows<Record<string, string>>(
      `SELECT model_id, model_version, window_start_ms, fingerprint FROM ${this.db}.drift_window_closes FINAL
       WHERE window_start_ms >= ${Math.max(0, Math.floor(sinceMs))}`,
    );
    return rows.map((r) => ({
      modelId: String(r.model_id),
      modelVersion: String(r.model_version),
      windowStartMs: Number(r.window_start_ms),
      fingerprint: String(r.fingerprint),
    }));
  }

  /** The stored states of the given partials (same through offsets, so exactly the closer's inputs). */
  async partialStates(partials: PartialMeta[]): Promise<Map<number, string>> {
    const first = partials[0];
    if (!first) return new Map();
    const wanted = partials.map((p) => `(${p.partition}, ${p.through})`).join(', ');
    const rows = await this.rows<{ source_partition: number; state: string }>(
      `SELECT source_partition, state FROM ${this.db}.drift_window_partials FINAL
       WHERE model_id = ${sqlString(first.modelId)} AND model_version = ${sqlString(first.modelVersion)}
         AND window_start_ms = ${first.windowStartMs} AND (source_partition, through_offset) IN (${wanted})`,
    );
    return new Map(rows.map((r) => [Number(r.source_partition), r.state]));
  }

  /** Results first, then the close record: a crash between them recomputes the same rows. */
  async writeClose(
    rows: DriftMetricRow[],
    close: ClosedRecord & { inputVersion: number },
    nowMs: number,
  ): Promise<void> {
    await this.insert('drift_metrics', rows);
    await this.insert('drift_window_closes', [
      {
        model_id: close.modelId,
        model_version: close.modelVersion,
        window_start_ms: close.windowStartMs,
        fingerprint: close.fingerprint,
        input_version: close.inputVersion,
        closed_at: seconds(nowMs),
      },
    ]);
  }

  async writeDriftRows(rows: DriftMetricRow[]): Promise<void> {
    await this.insert('drift_metrics', rows);
  }

  async detectorStates(partition: number): Promise<DetectorStateRow[]> {
    const rows = await this.rows<DetectorStateRow>(
      `SELECT * FROM ${this.db}.drift_detector_state FINAL WHERE source_partition = ${partition}`,
    );
    return rows.map((r) => ({
      ...r,
      through_offset: Number(r.through_offset),
      source_partition: Number(r.source_partition),
    }));
  }

  async writeDetectorStates(rows: DetectorStateRow[]): Promise<void> {
    await this.insert('drift_detector_state', rows);
  }
}

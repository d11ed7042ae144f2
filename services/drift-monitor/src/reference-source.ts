import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { ReferenceSourceError } from './errors.ts';
import type { ReferenceEvent } from './profile-builder.ts';
import { sqlString } from './store.ts';

/** Columns of a flat record (CSV, or a JSON line without `features`) that are not features. */
const IGNORED = new Set(['prediction_id', 'model_id', 'model_version', 'timestamp']);
const LABEL_COLUMNS = new Set(['prediction', 'prediction_label']);
const SCORE_COLUMN = /^score\.(.+)$/;

export interface FlatOptions {
  /** Columns read as categories even when they look like numbers (zip codes, ids). */
  categorical?: ReadonlySet<string>;
}

/**
 * A flat record as a reference event: `prediction`/`prediction_label` is the predicted label,
 * `prediction_value` the regression output, `score.<class>` a class score, and every other column a feature
 * (prediction_id, model_id, model_version and timestamp are ignored).
 */
export function flatEvent(record: Record<string, unknown>, options: FlatOptions = {}): ReferenceEvent {
  const features: ReferenceEvent['features'] = {};
  const prediction: ReferenceEvent['prediction'] = {};
  const scores: Record<string, number> = {};
  for (const [name, value] of Object.entries(record)) {
    const score = SCORE_COLUMN.exec(name);
    if (IGNORED.has(name)) continue;
    else if (LABEL_COLUMNS.has(name))
      prediction.label = value === null || value === undefined ? null : String(value);
    else if (name === 'prediction_value') prediction.value = typeof value === 'number' ? value : null;
    else if (score) {
      if (typeof value === 'number') scores[score[1] as string] = value;
    } else
      features[name] = options.categorical?.has(name) && value !== null ? String(value) : (value as never);
  }
  if (Object.keys(scores).length > 0) prediction.scores = scores;
  return { features, prediction };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function typed(text: string): number | string | null {
  if (text === '') return null;
  return NUMBER.test(text.trim()) ? Number(text) : text;
}

/** Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

async function* csvEvents(path: string, options: FlatOptions): AsyncGenerator<ReferenceEvent> {
  const [header, ...rows] = parseCsv(await readFile(path, 'utf8'));
  if (!header) throw new ReferenceSourceError(path, 'the CSV file is empty (a header row is needed)');
  for (const [n, fields] of rows.entries()) {
    if (fields.length !== header.length) {
      throw new ReferenceSourceError(
        path,
        `row ${n + 2} has ${fields.length} fields, the header ${header.length}`,
      );
    }
    yield flatEvent(Object.fromEntries(header.map((h, i) => [h, typed(fields[i] as string)])), options);
  }
}

async function* jsonLinesEvents(path: string, options: FlatOptions): AsyncGenerator<ReferenceEvent> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === '') continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new ReferenceSourceError(path, `line ${n} is not JSON: ${(error as Error).message}`, error);
    }
    if (typeof record.features === 'object' && record.features !== null) {
      yield {
        features: record.features as ReferenceEvent['features'],
        prediction: (record.prediction ?? {}) as ReferenceEvent['prediction'],
        ...(typeof record.embeddings === 'object' &&
          record.embeddings !== null && { embeddings: record.embeddings as ReferenceEvent['embeddings'] }),
      };
    } else yield flatEvent(record, options);
  }
}

/**
 * Events of a reference file: `.csv` (header row), or JSON lines (`.jsonl`, `.json`, `.ndjson`): either
 * InferenceEvent objects (`features`, `prediction`) or flat records as in CSV.
 * @throws ReferenceSourceError (not retriable) for an unknown extension or a malformed line.
 */
export function fileEvents(path: string, options: FlatOptions = {}): AsyncGenerator<ReferenceEvent> {
  if (/\.csv$/i.test(path)) return csvEvents(path, options);
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return jsonLinesEvents(path, options);
  throw new ReferenceSourceError(path, 'use a .csv or .jsonl (JSON lines) file');
}

export interface TimeRange {
  modelId: string;
  modelVersion: string;
  sinceMs: number;
  untilMs: number;
  /** keep the first N events by event time (then prediction id) */
  limit?: number;
}

/** Events of a model version from `inference_log` (written by the sink) in [since, until), by event time. */
export async function* clickhouseEvents(
  client: ClickHouseClient,
  db: string,
  r: TimeRange,
): AsyncGenerator<ReferenceEvent> {
  const query = `SELECT features, predicted_label, predicted_value, scores, embeddings FROM ${db}.inference_log FINAL
    WHERE model_id = ${sqlString(r.modelId)} AND model_version = ${sqlString(r.modelVersion)}
      AND event_time_ms >= ${Math.floor(r.sinceMs)} AND event_time_ms < ${Math.floor(r.untilMs)}
    ORDER BY event_time_ms, prediction_id ${r.limit === undefined ? '' : `LIMIT ${r.limit}`}`;
  const result = await client.query({ query, format: 'JSONEachRow' });
  type Row = {
    features: string;
    predicted_label: string | null;
    predicted_value: number | null;
    scores: string;
    /** empty unless the sink keeps vectors (DRIFTLINE_SINK_EMBEDDINGS) */
    embeddings: string;
  };
  for await (const rows of result.stream<Row>()) {
    for (const row of rows) {
      const r = row.json() as Row;
      yield {
        features: JSON.parse(r.features) as ReferenceEvent['features'],
        prediction: {
          label: r.predicted_label,
          value: r.predicted_value,
          scores: r.scores ? (JSON.parse(r.scores) as Record<string, number>) : null,
        },
        ...(r.embeddings && { embeddings: JSON.parse(r.embeddings) as ReferenceEvent['embeddings'] }),
      };
    }
  }
}

import { CategoryCounts } from '../../core/src/stats/category-counts.ts';
import { NumericHistogram } from '../../core/src/stats/numeric-histogram.ts';
import { DEFAULT_BINS, referenceBins } from '../../core/src/stats/reference-bins.ts';
import { finiteValues } from '../../core/src/stats/sample.ts';
import { referenceSample } from '../../core/src/stats/sample-ks.ts';
import type { InferenceEvent } from '../../core/src/records/records.generated.ts';
import { isReservedName } from '../../core/src/records/reserved-names.ts';
import { buildEmbedding, embeddingToJSON, type EmbeddingProfile } from './embedding-profile.ts';
import { buildMultivariate, multivariateToJSON } from './multivariate-profile.ts';
import {
  PREDICTION_COLUMN,
  PREDICTION_VALUE_COLUMN,
  SCORE_PREFIX,
  columnToJSON,
  profileId,
  type ColumnRole,
  type ProfileColumn,
  type ReferenceProfile,
} from './profile.ts';

/** What a reference data set holds per event: the inputs and the output. */
export type ReferenceEvent = Pick<InferenceEvent, 'features' | 'prediction' | 'embeddings'>;

type Raw = number | string | null;

interface Collected {
  role: ColumnRole;
  values: Raw[];
  strings: number;
}

export interface BuildOptions {
  modelId: string;
  modelVersion: string;
  /** @default 20 (DEFAULT_BINS) */
  bins?: number;
  /** Where the data came from, e.g. `file:ref.jsonl` or `clickhouse:2026-03-01..2026-03-02`. */
  source: string;
  createdAt: number;
}

export interface BuiltProfile {
  profile: ReferenceProfile;
  /** Columns left out, with why (no usable value at all, or a reserved name). */
  skipped: { name: string; reason: string }[];
}

function raw(value: unknown): Raw {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  return null;
}

/**
 * Collects a reference data set, then builds its profile: per numeric column the bin edges from reference
 * quantiles and the reference histogram (counts, per-bin sums, moments, missing), per categorical column the
 * category counts. A column with any string or boolean value is categorical (numbers then count by their
 * text); a column of numbers is numeric. Keeps the raw values until `build` (quantiles need them all).
 */
export class ProfileBuilder {
  private readonly columns = new Map<string, Collected>();
  private events = 0;
  private readonly reserved = new Set<string>();
  /** Each event's features, for the multivariate fit (it needs the values of one event together). */
  private readonly featureRows: ReferenceEvent['features'][] = [];
  /** The reference vectors of each named embedding (32-bit, as Avro carries them). */
  private readonly vectors = new Map<string, Float32Array[]>();

  add(event: ReferenceEvent): void {
    this.featureRows.push(event.features ?? {});
    for (const [name, v] of Object.entries(event.embeddings ?? {})) {
      if (!Array.isArray(v)) continue;
      const list = this.vectors.get(name) ?? [];
      list.push(Float32Array.from(v));
      this.vectors.set(name, list);
    }
    for (const [name, value] of Object.entries(event.features ?? {})) {
      if (isReservedName(name)) this.reserved.add(name);
      else this.push(name, 'feature', raw(value));
    }
    const p = event.prediction ?? {};
    if (p.label !== undefined && p.label !== null) this.push(PREDICTION_COLUMN, 'prediction', p.label);
    if (typeof p.value === 'number') this.push(`${PREDICTION_COLUMN}#value`, 'prediction', raw(p.value));
    for (const [cls, score] of Object.entries(p.scores ?? {}))
      this.push(SCORE_PREFIX + cls, 'score', raw(score));
    this.events += 1;
  }

  get size(): number {
    return this.events;
  }

  private push(name: string, role: ColumnRole, value: Raw): void {
    let c = this.columns.get(name);
    if (!c) {
      c = { role, values: [], strings: 0 };
      this.columns.set(name, c);
    }
    // Events without the column count as missing at build time (events − values.length).
    c.values.push(value);
    if (typeof value === 'string') c.strings += 1;
  }

  /** Columns without any usable value are reported in `skipped`, not thrown. */
  build(options: BuildOptions): BuiltProfile {
    const bins = options.bins ?? DEFAULT_BINS;
    const skipped = [...this.reserved].map((name) => ({
      name,
      reason: 'names starting with __ are reserved',
    }));
    const columns: ProfileColumn[] = [];
    const hasLabel = this.columns.has(PREDICTION_COLUMN);
    for (const [key, c] of this.columns) {
      const name =
        key === `${PREDICTION_COLUMN}#value` ? (hasLabel ? PREDICTION_VALUE_COLUMN : PREDICTION_COLUMN) : key;
      const missing = this.events - c.values.length + c.values.filter((v) => v === null).length;
      if (missing === this.events) {
        skipped.push({ name, reason: 'no value in the reference data' });
        continue;
      }
      columns.push(c.strings > 0 ? categorical(name, c, this.events) : numeric(name, c, bins, this.events));
    }
    columns.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const multivariate = this.multivariate(columns);
    const embeddings = this.embeddings();
    const content = {
      version: 1 as const,
      model_id: options.modelId,
      model_version: options.modelVersion,
      event_count: this.events,
      bins,
      columns: columns.map(columnToJSON),
      ...(multivariate && { multivariate: multivariateToJSON(multivariate) }),
      ...(embeddings.length > 0 && { embeddings: embeddings.map(embeddingToJSON) }),
    };
    const profile: ReferenceProfile = {
      modelId: options.modelId,
      modelVersion: options.modelVersion,
      profileId: profileId(content as Parameters<typeof profileId>[0]),
      createdAt: options.createdAt,
      source: options.source,
      eventCount: this.events,
      bins,
      columns,
      ...(multivariate && { multivariate }),
      ...(embeddings.length > 0 && { embeddings }),
    };
    return { profile, skipped };
  }

  /** Each embedding with enough usable vectors, sorted by name. */
  private embeddings(): EmbeddingProfile[] {
    return [...this.vectors.keys()]
      .sort()
      .map((name) => buildEmbedding(name, this.vectors.get(name) as Float32Array[]))
      .filter((e) => e !== undefined);
  }

  /** The PCA reconstruction over the numeric input features, in the profile's (sorted) column order. */
  private multivariate(columns: readonly ProfileColumn[]) {
    const names = columns.filter((c) => c.role === 'feature' && c.kind === 'numeric').map((c) => c.name);
    const rows = this.featureRows.map((f) =>
      names.map((name) => {
        const v = f[name];
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      }),
    );
    return buildMultivariate(names, rows);
  }
}

function numeric(name: string, c: Collected, bins: number, events: number): ProfileColumn {
  const values = c.values as (number | null)[];
  const h = new NumericHistogram(referenceBins(values, bins));
  for (const v of values) h.update(v);
  h.missing += events - values.length;
  // The sorted values (or their quantile summary) make KS exact on small windows: see sample-ks.ts.
  const sample = referenceSample(finiteValues(values).sort());
  return { name, role: c.role, kind: 'numeric', reference: h, sample };
}

function categorical(name: string, c: Collected, events: number): ProfileColumn {
  const counts = new CategoryCounts();
  for (const v of c.values) counts.update(v === null ? null : String(v));
  counts.missing += events - c.values.length;
  return { name, role: c.role, kind: 'categorical', reference: counts };
}

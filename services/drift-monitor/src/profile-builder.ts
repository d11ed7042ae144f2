import { CategoryCounts } from '../../core/src/stats/category-counts.ts';
import { NumericHistogram } from '../../core/src/stats/numeric-histogram.ts';
import { DEFAULT_BINS, referenceBinsOfSorted } from '../../core/src/stats/reference-bins.ts';
import { sortFinite } from '../../core/src/stats/radix-sort.ts';
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

/**
 * One column's reference values. Numbers go into a typed array indexed by event (NaN: missing or absent), so
 * a numeric column costs 8 bytes per event and no boxed number, and the multivariate fit reads it as is.
 * The first string makes the column categorical: from then on every value is counted by its text as it
 * comes (only the counts are needed, not the values).
 */
class Collected {
  /** Per event: the value when a finite number, else NaN; valid below `filled`. */
  numbers = new Float64Array(1024);
  filled = 0;
  /** The counts of the values' texts once the column has a string; null while it is numeric. */
  texts: CategoryCounts | null = null;
  constructor(readonly role: ColumnRole) {}

  push(event: number, value: Raw): void {
    if (typeof value === 'string') {
      if (this.texts === null) this.texts = this.textsSoFar();
      this.texts.update(value);
      return;
    }
    if (this.texts !== null) {
      this.texts.update(value === null ? null : String(value));
      return;
    }
    if (event >= this.numbers.length) {
      const grown = new Float64Array(Math.max(this.numbers.length * 2, event + 1));
      grown.set(this.numbers.subarray(0, this.filled));
      this.numbers = grown;
    }
    // Events without the column in between are missing.
    if (this.filled < event) this.numbers.fill(NaN, this.filled, event);
    this.numbers[event] = value !== null && value - value === 0 ? value : NaN;
    this.filled = event + 1;
  }

  /** The numbers so far counted as texts, when the first string arrives (missing ones are counted at build). */
  private textsSoFar(): CategoryCounts {
    const out = new CategoryCounts();
    for (let i = 0; i < this.filled; i++) {
      const v = this.numbers[i] as number;
      if (v === v) out.update(String(v));
    }
    return out;
  }

  /** The numbers of `events` events (NaN: missing), once no string came. */
  column(events: number): Float64Array {
    if (this.numbers.length < events) {
      const grown = new Float64Array(events);
      grown.set(this.numbers.subarray(0, this.filled));
      this.numbers = grown;
    }
    this.numbers.fill(NaN, this.filled, events);
    this.filled = events;
    return this.numbers.subarray(0, events);
  }
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
 * text); a column of numbers is numeric. Keeps the values until `build` (quantiles need them all): numbers
 * in one typed array per column, which is also what the multivariate fit reads.
 */
export class ProfileBuilder {
  private readonly columns = new Map<string, Collected>();
  private events = 0;
  private readonly reserved = new Set<string>();
  /** The reference vectors of each named embedding (32-bit, as Avro carries them). */
  private readonly vectors = new Map<string, Float32Array[]>();
  /**
   * The feature names of the last event in their order, with their columns (null: reserved): events of one
   * producer list their features in the same order, so a name is found by one comparison, not a lookup.
   */
  private readonly lastNames: string[] = [];
  private readonly lastColumns: (Collected | null)[] = [];

  add(event: ReferenceEvent): void {
    const e = this.events;
    if (event.embeddings) this.addEmbeddings(event.embeddings);
    const features = event.features;
    if (features) {
      let k = 0;
      for (const name in features) {
        let column = this.lastColumns[k];
        if (this.lastNames[k] !== name) {
          column = this.featureColumn(name);
          this.lastNames[k] = name;
          this.lastColumns[k] = column;
        }
        column?.push(e, raw(features[name]));
        k++;
      }
    }
    const p = event.prediction ?? {};
    if (p.label !== undefined && p.label !== null)
      this.column(PREDICTION_COLUMN, 'prediction').push(e, p.label);
    if (typeof p.value === 'number')
      this.column(`${PREDICTION_COLUMN}#value`, 'prediction').push(e, raw(p.value));
    const scores = p.scores;
    if (scores) for (const cls in scores) this.column(SCORE_PREFIX + cls, 'score').push(e, raw(scores[cls]));
    this.events += 1;
  }

  private addEmbeddings(embeddings: NonNullable<ReferenceEvent['embeddings']>): void {
    for (const [name, v] of Object.entries(embeddings)) {
      if (!Array.isArray(v)) continue;
      const list = this.vectors.get(name) ?? [];
      list.push(Float32Array.from(v));
      this.vectors.set(name, list);
    }
  }

  /** The column of an input feature; null for a reserved name (recorded as skipped). */
  private featureColumn(name: string): Collected | null {
    if (isReservedName(name)) {
      this.reserved.add(name);
      return null;
    }
    return this.column(name, 'feature');
  }

  get size(): number {
    return this.events;
  }

  private column(name: string, role: ColumnRole): Collected {
    let c = this.columns.get(name);
    if (!c) {
      c = new Collected(role);
      this.columns.set(name, c);
    }
    return c;
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
    const numericFeatures = new Map<string, Float64Array>();
    for (const [key, c] of this.columns) {
      const name =
        key === `${PREDICTION_COLUMN}#value` ? (hasLabel ? PREDICTION_VALUE_COLUMN : PREDICTION_COLUMN) : key;
      const column = c.texts === null ? c.column(this.events) : null;
      const present = column === null ? (c.texts as CategoryCounts).n : presentNumbers(column);
      if (present === 0) {
        skipped.push({ name, reason: 'no value in the reference data' });
        continue;
      }
      if (column === null) columns.push(categorical(name, c, this.events));
      else {
        columns.push(numeric(name, c.role, column, bins));
        if (c.role === 'feature') numericFeatures.set(name, column);
      }
    }
    columns.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const multivariate = multivariateOf(columns, numericFeatures);
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
}

/** The PCA reconstruction over the numeric input features, in the profile's (sorted) column order. */
function multivariateOf(columns: readonly ProfileColumn[], numericFeatures: Map<string, Float64Array>) {
  const names = columns.filter((c) => c.role === 'feature' && c.kind === 'numeric').map((c) => c.name);
  return buildMultivariate(
    names,
    names.map((name) => numericFeatures.get(name) as Float64Array),
  );
}

function presentNumbers(column: Float64Array): number {
  let n = 0;
  for (let i = 0; i < column.length; i++) if (column[i] === column[i]) n++;
  return n;
}

/** Reference values per call of NumericHistogram#updateMany. */
const HISTOGRAM_BLOCK = 4096;

/** @param column - one value per reference event, NaN where missing */
function numeric(name: string, role: ColumnRole, column: Float64Array, bins: number): ProfileColumn {
  // One sort serves the bin edges and the sample that makes KS exact on small windows (see sample-ks.ts).
  const sorted = sortFinite(finiteValues(column));
  const h = new NumericHistogram(referenceBinsOfSorted(sorted, bins));
  // By blocks: the loop is compiled after a few calls (the build is a cold start, once per profile).
  for (let from = 0; from < column.length; from += HISTOGRAM_BLOCK)
    h.updateMany(column, from, Math.min(column.length, from + HISTOGRAM_BLOCK));
  return { name, role, kind: 'numeric', reference: h, sample: referenceSample(sorted) };
}

function categorical(name: string, c: Collected, events: number): ProfileColumn {
  const counts = c.texts as CategoryCounts;
  // Events without the column, or with it missing before the column turned categorical.
  counts.missing += events - counts.total;
  return { name, role: c.role, kind: 'categorical', reference: counts };
}

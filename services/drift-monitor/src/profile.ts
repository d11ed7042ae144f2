import { createHash } from 'node:crypto';
import { CategoryCounts, type CategoryCountsJSON } from '../../core/src/stats/category-counts.ts';
import { NumericHistogram, type NumericHistogramJSON } from '../../core/src/stats/numeric-histogram.ts';
import type { ReferenceSample } from '../../core/src/stats/sample-ks.ts';
import { ProfileError } from './errors.ts';
import {
  embeddingFromJSON,
  embeddingToJSON,
  type EmbeddingProfile,
  type EmbeddingProfileJSON,
} from './embedding-profile.ts';
import {
  multivariateFromJSON,
  multivariateToJSON,
  type MultivariateProfile,
  type MultivariateProfileJSON,
} from './multivariate-profile.ts';

/**
 * What a column of a profile describes: an input feature, the model's output (`__prediction__`: the predicted
 * label of a classifier or the value of a regressor) or one class's score (`__score__:<class>`).
 */
export type ColumnRole = 'feature' | 'prediction' | 'score';

/** Column names of the output, as in drift_metrics (CONTRACT.md). */
export {
  PREDICTION_FEATURE as PREDICTION_COLUMN,
  PREDICTION_VALUE_FEATURE as PREDICTION_VALUE_COLUMN,
  SCORE_PREFIX,
} from '../../core/src/records/reserved-names.ts';

/** The stored reference values of a numeric column (sorted), for exact KS; absent in older profiles. */
export interface ReferenceSampleJSON {
  values: number[];
  n: number;
  exact: boolean;
}

export type ColumnProfileJSON =
  | {
      name: string;
      role: ColumnRole;
      kind: 'numeric';
      reference: NumericHistogramJSON;
      sample?: ReferenceSampleJSON;
    }
  | { name: string; role: ColumnRole; kind: 'categorical'; reference: CategoryCountsJSON };

/** The stored form of a profile (reference_profiles.profile). */
export interface ReferenceProfileJSON {
  version: 1;
  model_id: string;
  model_version: string;
  profile_id: string;
  created_at: number;
  source: string;
  event_count: number;
  bins: number;
  columns: ColumnProfileJSON[];
  /** The PCA reconstruction of the numeric features (absent: too few, or an older profile). */
  multivariate?: MultivariateProfileJSON;
  /** One reference per named embedding, sorted by name (absent: none, or an older profile). */
  embeddings?: EmbeddingProfileJSON[];
}

/** One column of a loaded profile: its reference state (bin edges inside the histogram). */
export type ProfileColumn =
  | {
      name: string;
      role: ColumnRole;
      kind: 'numeric';
      reference: NumericHistogram;
      /** Sorted reference values (whole, or a quantile summary), for exact KS; absent in older profiles. */
      sample?: ReferenceSample;
    }
  | { name: string; role: ColumnRole; kind: 'categorical'; reference: CategoryCounts };

/** A loaded, immutable reference profile of one model version. */
export interface ReferenceProfile {
  modelId: string;
  modelVersion: string;
  profileId: string;
  createdAt: number;
  source: string;
  eventCount: number;
  bins: number;
  /** Sorted by name: the order of states in every window partial. */
  columns: ProfileColumn[];
  /** Multivariate drift by reconstruction error; absent with fewer than 2 numeric features. */
  multivariate?: MultivariateProfile;
  /** Embedding references, sorted by name: the order of embedding states in every window partial. */
  embeddings?: EmbeddingProfile[];
}

/** A content hash: the same reference data and bins give the same id, whoever builds it. */
export function profileId(json: Omit<ReferenceProfileJSON, 'profile_id' | 'created_at' | 'source'>): string {
  return createHash('sha256').update(JSON.stringify(json)).digest('hex').slice(0, 16);
}

/** The stored form of a loaded profile. */
export function profileToJSON(p: ReferenceProfile): ReferenceProfileJSON {
  return {
    version: 1,
    model_id: p.modelId,
    model_version: p.modelVersion,
    profile_id: p.profileId,
    created_at: p.createdAt,
    source: p.source,
    event_count: p.eventCount,
    bins: p.bins,
    columns: p.columns.map(columnToJSON),
    ...(p.multivariate && { multivariate: multivariateToJSON(p.multivariate) }),
    ...(p.embeddings && { embeddings: p.embeddings.map(embeddingToJSON) }),
  };
}

/** The stored form of a column; the sample only when there is one (older profiles hash the same). */
export function columnToJSON(c: ProfileColumn): ColumnProfileJSON {
  const json = { name: c.name, role: c.role, kind: c.kind, reference: c.reference.toJSON() };
  if (c.kind !== 'numeric' || c.sample === undefined) return json as ColumnProfileJSON;
  const { values, n, exact } = c.sample;
  return { ...json, sample: { values: Array.from(values), n, exact } } as ColumnProfileJSON;
}

function columnFromJSON(c: ColumnProfileJSON): ProfileColumn {
  if (c.kind === 'numeric') {
    const { sample, ...rest } = c;
    const column: ProfileColumn = { ...rest, reference: NumericHistogram.fromJSON(c.reference) };
    if (sample !== undefined) column.sample = sampleFromJSON(sample);
    return column;
  }
  if (c.kind === 'categorical') return { ...c, reference: CategoryCounts.fromJSON(c.reference) };
  throw new Error(`unknown column kind ${JSON.stringify((c as { kind: unknown }).kind)}`);
}

function sampleFromJSON(s: ReferenceSampleJSON): ReferenceSample {
  const values = Float64Array.from(s.values);
  const sorted = values.every((v, i) => Number.isFinite(v) && (i === 0 || v >= (values[i - 1] as number)));
  if (!sorted || !(s.n >= values.length) || (s.exact && s.n !== values.length))
    throw new Error('reference sample must be sorted finite values, n >= their count');
  return { values, n: s.n, exact: s.exact === true };
}

/**
 * Reads a stored profile back, checking every reference state.
 * @throws ProfileError (not retriable) when the JSON is not a profile.
 */
export function profileFromJSON(json: unknown): ReferenceProfile {
  const j = json as ReferenceProfileJSON;
  const model = String(j?.model_id ?? '?');
  const version = String(j?.model_version ?? '?');
  if (j?.version !== 1 || !Array.isArray(j.columns) || typeof j.profile_id !== 'string') {
    throw new ProfileError(model, version, `unsupported profile format (version ${String(j?.version)})`);
  }
  try {
    const columns = j.columns
      .map(columnFromJSON)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      modelId: j.model_id,
      modelVersion: j.model_version,
      profileId: j.profile_id,
      createdAt: j.created_at,
      source: j.source,
      eventCount: j.event_count,
      bins: j.bins,
      columns,
      ...(j.multivariate && { multivariate: multivariateFromJSON(j.multivariate) }),
      ...(j.embeddings && { embeddings: j.embeddings.map(embeddingFromJSON) }),
    };
  } catch (error) {
    throw new ProfileError(model, version, `bad column: ${(error as Error).message}`, error);
  }
}

/** The key of a model version in maps: model and version joined by a NUL (never inside either). */
export function versionKey(modelId: string, modelVersion: string): string {
  return `${modelId}\u0000${modelVersion}`;
}

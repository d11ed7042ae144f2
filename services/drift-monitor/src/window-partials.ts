import { BoundedSample } from '../../core/src/stats/bounded-sample.ts';
import { CategoryCounts, type CategoryCountsJSON } from '../../core/src/stats/category-counts.ts';
import { NumericHistogram, type NumericHistogramJSON } from '../../core/src/stats/numeric-histogram.ts';
import type { InferenceEvent } from '../../core/src/records/records.generated.ts';
import {
  ReconstructionErrorState,
  type ReconstructionErrorJSON,
} from '../../core/src/stats/reconstruction-drift.ts';
import type { PcaReconstruction } from '../../core/src/stats/pca-reconstruction.ts';
import { EmbeddingWindowState, type EmbeddingStateJSON } from '../../core/src/stats/embedding-drift.ts';
import { DriftStateError } from './errors.ts';
import { featureReader, type FeatureReader } from './feature-reader.ts';
import { SCORE_PREFIX, type ReferenceProfile } from './profile.ts';

/** A numeric state without the edges and shift, which the profile holds once. */
export type CompactHistogramJSON = Omit<NumericHistogramJSON, 'edges' | 'shift' | 'version'>;

/** The stored partial state of one window of one partition (drift_window_partials.state). */
export interface PartialStateJSON {
  version: 1;
  profile_id: string;
  events: number;
  /** values whose type did not match the profile (a string for a numeric feature), counted as missing */
  mismatched: number;
  columns: Record<string, CompactHistogramJSON | CategoryCountsJSON>;
  /** The raw values of numeric columns that still hold every value (for exact KS); absent: none kept. */
  samples?: Record<string, number[]>;
  /** Reconstruction errors of the events (profiles with a multivariate part). */
  multivariate?: ReconstructionErrorJSON;
  /** Per embedding of the profile: count and sums (never an event's vector). */
  embeddings?: Record<string, EmbeddingStateJSON>;
}

/**
 * Raw values kept per numeric column of a window (across all its partitions) for exact KS; a window with
 * more values falls back to the binned KS. The default test is KS up to DRIFTLINE_DRIFT_LARGE_WINDOW values.
 */
export const DEFAULT_EXACT_VALUES = 1000;

/** What a window reads of an inference event. */
export type WindowEvent = Pick<InferenceEvent, 'features' | 'prediction' | 'embeddings'>;

/**
 * Events per block of updateMany: its column buffers (8 bytes per event and numeric feature) stay in the
 * processor's cache between the reader's writes and the states' loops.
 */
const BLOCK = 256;

type Source = 'feature' | 'label' | 'value' | 'score';

interface NumericSlot {
  name: string;
  key: string;
  source: Source;
  state: NumericHistogram;
  sample: BoundedSample;
}

interface CategoricalSlot {
  name: string;
  key: string;
  source: Source;
  state: CategoryCounts;
}

function sourceOf(role: string, kind: string): Source {
  if (role === 'feature') return 'feature';
  if (role === 'score') return 'score';
  return kind === 'categorical' ? 'label' : 'value';
}

/**
 * The mergeable state of one window: per profile column a histogram over the reference bin edges or category
 * counts (missing values included), plus the event count. Merging two partials of the same window (from two
 * partitions or instances) gives the state of their union: counts exactly, sums to rounding.
 */
export class WindowPartial {
  events = 0;
  mismatched = 0;
  /** One state per profile column, in the profile's (sorted) order. */
  readonly states: (NumericHistogram | CategoryCounts)[];
  /** The raw values of each numeric column (null for categorical ones), in the profile's order. */
  readonly samples: (BoundedSample | null)[] = [];
  private readonly numericNames: string[] = [];
  private readonly numericStates: NumericHistogram[] = [];
  private readonly numericSamples: BoundedSample[] = [];
  private readonly numericOutputs: NumericSlot[] = [];
  private readonly categoricalNames: string[] = [];
  private readonly categoricalStates: CategoryCounts[] = [];
  private readonly categoricalOutputs: CategoricalSlot[] = [];
  /** Reads a block of events' input features into the two column buffers below (one reader per profile). */
  private readonly readFeatures: FeatureReader;
  /** Numeric input feature i of the block's r-th event at i * BLOCK + r. */
  private readonly numbers: Float64Array;
  /** Categorical input feature j of the block's r-th event at j * BLOCK + r, as the event holds it. */
  private readonly categoricalValues: unknown[];
  private readonly one: WindowEvent[] = [];
  /** Reconstruction errors of the window's events; null when the profile has no multivariate part. */
  readonly multivariate: ReconstructionErrorState | null = null;
  private readonly reconstruction: PcaReconstruction | null = null;
  private readonly standardized: Float64Array = new Float64Array(0);
  private readonly residual: Float64Array = new Float64Array(0);
  /** One state per embedding of the profile, in its (sorted) order. */
  readonly embeddings: EmbeddingWindowState[];

  /**
   * @param profile - the version's reference profile
   * @param exactValues - raw values kept per numeric column for exact KS (@default DEFAULT_EXACT_VALUES)
   */
  constructor(
    readonly profile: ReferenceProfile,
    readonly exactValues = DEFAULT_EXACT_VALUES,
  ) {
    this.states = profile.columns.map((c) => {
      const key = c.role === 'score' ? c.name.slice(SCORE_PREFIX.length) : c.name;
      const source = sourceOf(c.role, c.kind);
      if (c.kind === 'numeric') {
        const state = new NumericHistogram(c.reference.spec);
        const sample = new BoundedSample(exactValues);
        this.samples.push(sample);
        if (source === 'feature') {
          this.numericNames.push(c.name);
          this.numericStates.push(state);
          this.numericSamples.push(sample);
        } else this.numericOutputs.push({ name: c.name, key, source, state, sample });
        return state;
      }
      this.samples.push(null);
      const state = new CategoryCounts();
      if (source === 'feature') {
        this.categoricalNames.push(c.name);
        this.categoricalStates.push(state);
      } else this.categoricalOutputs.push({ name: c.name, key, source, state });
      return state;
    });
    this.readFeatures = readerOf(profile.columns, this.numericNames, this.categoricalNames);
    this.numbers = new Float64Array(this.numericNames.length * BLOCK);
    this.categoricalValues = new Array<unknown>(this.categoricalNames.length * BLOCK).fill(null);
    this.embeddings = (profile.embeddings ?? []).map((e) => new EmbeddingWindowState(e.rff));
    const mv = profile.multivariate?.reconstruction;
    // The fit's features are the profile's numeric input features in column order, as numericNames.
    if (mv && mv.features.join('\u0000') === this.numericNames.join('\u0000')) {
      this.reconstruction = mv;
      this.multivariate = new ReconstructionErrorState(mv.d);
      this.standardized = new Float64Array(mv.d);
      this.residual = new Float64Array(mv.d);
    }
  }

  /** Adds one event (see updateMany, the path of a fetched batch). */
  update(event: WindowEvent): void {
    this.one[0] = event;
    this.updateMany(this.one);
    this.one.length = 0;
  }

  /**
   * Adds events in order: the same state as adding them one by one. A block of events at a time, the
   * profile's reader copies every input feature into column buffers; then each column's state takes its
   * block in one loop (a hot path: see bench/drift-monitor.ts). Allocation-free for numeric features.
   */
  updateMany(events: readonly WindowEvent[]): void {
    for (let from = 0; from < events.length; from += BLOCK)
      this.updateBlock(events, from, Math.min(events.length, from + BLOCK));
  }

  private updateBlock(events: readonly WindowEvent[], from: number, to: number): void {
    const count = to - from;
    const numbers = this.numbers;
    const categorical = this.categoricalValues;
    this.mismatched += this.readFeatures(events, from, to, numbers, categorical, BLOCK);
    const states = this.numericStates;
    const samples = this.numericSamples;
    for (let i = 0; i < states.length; i++) {
      const start = i * BLOCK;
      (states[i] as NumericHistogram).updateMany(numbers, start, start + count);
      (samples[i] as BoundedSample).addMany(numbers, start, start + count);
    }
    if (this.reconstruction !== null) this.updateMultivariate(count);
    if (this.embeddings.length > 0)
      for (let e = from; e < to; e++) this.updateEmbeddings((events[e] as WindowEvent).embeddings);
    for (const slot of this.numericOutputs) {
      for (let e = from; e < to; e++) {
        const event = events[e] as WindowEvent;
        const v = pick(slot, event.features, event.prediction);
        if (typeof v === 'number') {
          slot.state.update(v);
          slot.sample.add(v);
        } else slot.state.update(null);
      }
    }
    const categoricalStates = this.categoricalStates;
    for (let j = 0; j < categoricalStates.length; j++)
      (categoricalStates[j] as CategoryCounts).updateMany(categorical, j * BLOCK, j * BLOCK + count);
    for (const slot of this.categoricalOutputs) {
      for (let e = from; e < to; e++) {
        const event = events[e] as WindowEvent;
        const v = pick(slot, event.features, event.prediction);
        slot.state.update(v === null || v === undefined ? null : typeof v === 'string' ? v : String(v));
      }
    }
    this.events += count;
  }

  /** Each event's reconstruction error from the block's numeric columns (a missing value standardizes to 0). */
  private updateMultivariate(count: number): void {
    const mv = this.reconstruction as PcaReconstruction;
    const state = this.multivariate as ReconstructionErrorState;
    const numbers = this.numbers;
    const z = this.standardized;
    const residual = this.residual;
    const d = z.length;
    for (let r = 0; r < count; r++) {
      for (let i = 0; i < d; i++) z[i] = mv.standardize(i, numbers[i * BLOCK + r]);
      state.update(mv.residualOf(z, residual), residual);
    }
  }

  private updateEmbeddings(vectors: WindowEvent['embeddings']): void {
    const profiles = this.profile.embeddings ?? [];
    for (let i = 0; i < this.embeddings.length; i++)
      (this.embeddings[i] as EmbeddingWindowState).update(vectors?.[(profiles[i] as { name: string }).name]);
  }

  /**
   * Folds another partial of the same window into this one.
   * @throws DriftStateError (not retriable) when the two were built on different profiles.
   */
  merge(other: WindowPartial): this {
    if (other.profile.profileId !== this.profile.profileId) {
      throw new DriftStateError(
        `cannot merge partials of profiles ${this.profile.profileId} and ${other.profile.profileId}`,
      );
    }
    for (let i = 0; i < this.states.length; i++) {
      (this.states[i] as NumericHistogram).merge(other.states[i] as NumericHistogram & CategoryCounts);
      this.samples[i]?.merge(other.samples[i] as BoundedSample);
    }
    if (other.multivariate) this.multivariate?.merge(other.multivariate);
    this.embeddings.forEach((e, i) => e.merge(other.embeddings[i] as EmbeddingWindowState));
    this.events += other.events;
    this.mismatched += other.mismatched;
    return this;
  }

  toJSON(): PartialStateJSON {
    const columns: PartialStateJSON['columns'] = {};
    const samples: Record<string, number[]> = {};
    this.profile.columns.forEach((c, i) => {
      const values = this.samples[i]?.toJSON();
      if (values) samples[c.name] = values;
      const json = (this.states[i] as NumericHistogram | CategoryCounts).toJSON();
      if ('edges' in json) {
        const { edges: _e, shift: _s, version: _v, ...compact } = json;
        columns[c.name] = compact;
      } else columns[c.name] = json;
    });
    return {
      version: 1,
      profile_id: this.profile.profileId,
      events: this.events,
      mismatched: this.mismatched,
      columns,
      samples,
      ...(this.multivariate && { multivariate: this.multivariate.toJSON() }),
      ...(this.embeddings.length > 0 && { embeddings: this.embeddingsJSON() }),
    };
  }

  private embeddingsJSON(): Record<string, EmbeddingStateJSON> {
    const out: Record<string, EmbeddingStateJSON> = {};
    (this.profile.embeddings ?? []).forEach(
      (e, i) => (out[e.name] = (this.embeddings[i] as EmbeddingWindowState).toJSON()),
    );
    return out;
  }

  /**
   * Restores a partial on its profile.
   * @throws DriftStateError (not retriable) when the state does not belong to this profile or is malformed.
   */
  static fromJSON(
    profile: ReferenceProfile,
    json: PartialStateJSON,
    exactValues = DEFAULT_EXACT_VALUES,
  ): WindowPartial {
    if (json?.version !== 1 || json.profile_id !== profile.profileId) {
      throw new DriftStateError(
        `partial of profile ${String(json?.profile_id)} read with profile ${profile.profileId}`,
      );
    }
    const out = new WindowPartial(profile, exactValues);
    try {
      profile.columns.forEach((c, i) => {
        const stored = json.columns[c.name];
        if (stored === undefined) throw new DriftStateError(`column ${c.name} missing`);
        const state =
          c.kind === 'numeric'
            ? restoreHistogram(c.reference, stored as CompactHistogramJSON)
            : CategoryCounts.fromJSON(stored as CategoryCountsJSON);
        (out.states[i] as NumericHistogram).merge(state as NumericHistogram & CategoryCounts);
        const values = json.samples?.[c.name];
        // A state written without the values of a column that had some cannot be exact again.
        out.samples[i]?.merge(BoundedSample.fromJSON(values, exactValues, state.n === 0));
      });
      if (out.multivariate && json.multivariate)
        out.multivariate.merge(ReconstructionErrorState.fromJSON(json.multivariate, out.multivariate.d));
      (profile.embeddings ?? []).forEach((e, i) => {
        const stored = json.embeddings?.[e.name];
        if (stored) out.embeddings[i]?.merge(EmbeddingWindowState.fromJSON(stored, e.rff));
      });
    } catch (error) {
      if (error instanceof DriftStateError) throw error;
      throw new DriftStateError(`malformed partial: ${(error as Error).message}`, error);
    }
    out.events = json.events;
    out.mismatched = json.mismatched;
    return out;
  }
}

/**
 * The feature reader of a profile's columns, made once: windows of a profile share it, so its load sites
 * learn the events' shape once (a reader made per window would start cold every time).
 */
const readers = new WeakMap<readonly unknown[], FeatureReader>();

function readerOf(columns: readonly unknown[], numeric: string[], categorical: string[]): FeatureReader {
  let reader = readers.get(columns);
  if (reader === undefined) {
    reader = featureReader(numeric, categorical);
    readers.set(columns, reader);
  }
  return reader;
}

function restoreHistogram(reference: NumericHistogram, compact: CompactHistogramJSON): NumericHistogram {
  const json: NumericHistogramJSON = {
    ...compact,
    version: 1,
    edges: Array.from(reference.edges),
    shift: reference.shift,
  };
  return NumericHistogram.fromJSON(json, reference.edges);
}

function pick(
  slot: { key: string; source: Source },
  features: InferenceEvent['features'],
  p: InferenceEvent['prediction'],
): unknown {
  switch (slot.source) {
    case 'feature':
      return features[slot.key];
    case 'label':
      return p.label;
    case 'value':
      return p.value;
    case 'score':
      return p.scores?.[slot.key];
  }
}

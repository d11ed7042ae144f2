import { CategoryCounts, type CategoryCountsJSON } from '../../core/src/stats/category-counts.ts';
import { NumericHistogram, type NumericHistogramJSON } from '../../core/src/stats/numeric-histogram.ts';
import type { InferenceEvent } from '../../core/src/records/records.generated.ts';
import { DriftStateError } from './errors.ts';
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
}

type Source = 'feature' | 'label' | 'value' | 'score';

interface NumericSlot {
  name: string;
  key: string;
  source: Source;
  state: NumericHistogram;
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
  private readonly numericNames: string[] = [];
  private readonly numericStates: NumericHistogram[] = [];
  private readonly numericOutputs: NumericSlot[] = [];
  private readonly categorical: CategoricalSlot[] = [];

  constructor(readonly profile: ReferenceProfile) {
    this.states = profile.columns.map((c) => {
      const key = c.role === 'score' ? c.name.slice(SCORE_PREFIX.length) : c.name;
      const source = sourceOf(c.role, c.kind);
      if (c.kind === 'numeric') {
        const state = new NumericHistogram(c.reference.spec);
        if (source === 'feature') {
          this.numericNames.push(c.name);
          this.numericStates.push(state);
        } else this.numericOutputs.push({ name: c.name, key, source, state });
        return state;
      }
      const state = new CategoryCounts();
      this.categorical.push({ name: c.name, key, source, state });
      return state;
    });
  }

  /** Adds one event. Allocation-free for numeric features; a hot loop (see bench/drift-monitor.ts). */
  update(event: Pick<InferenceEvent, 'features' | 'prediction'>): void {
    const features = event.features;
    // Input features first, in flat arrays: no per-value dispatch on where the value comes from.
    const names = this.numericNames;
    const states = this.numericStates;
    for (let i = 0; i < names.length; i++) {
      const v = features[names[i] as string];
      const state = states[i] as NumericHistogram;
      if (typeof v === 'number') state.update(v);
      else {
        // Same as update(null), without the call; a value of the wrong type counts as missing too.
        state.missing += 1;
        if (v !== null && v !== undefined) this.mismatched += 1;
      }
    }
    const p = event.prediction;
    for (const slot of this.numericOutputs) {
      const v = pick(slot, features, p);
      if (typeof v === 'number') slot.state.update(v);
      else slot.state.update(null);
    }
    for (const slot of this.categorical) {
      const v = pick(slot, features, p);
      slot.state.update(v === null || v === undefined ? null : typeof v === 'string' ? v : String(v));
    }
    this.events += 1;
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
    }
    this.events += other.events;
    this.mismatched += other.mismatched;
    return this;
  }

  toJSON(): PartialStateJSON {
    const columns: PartialStateJSON['columns'] = {};
    this.profile.columns.forEach((c, i) => {
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
    };
  }

  /**
   * Restores a partial on its profile.
   * @throws DriftStateError (not retriable) when the state does not belong to this profile or is malformed.
   */
  static fromJSON(profile: ReferenceProfile, json: PartialStateJSON): WindowPartial {
    if (json?.version !== 1 || json.profile_id !== profile.profileId) {
      throw new DriftStateError(
        `partial of profile ${String(json?.profile_id)} read with profile ${profile.profileId}`,
      );
    }
    const out = new WindowPartial(profile);
    try {
      profile.columns.forEach((c, i) => {
        const stored = json.columns[c.name];
        if (stored === undefined) throw new DriftStateError(`column ${c.name} missing`);
        const state =
          c.kind === 'numeric'
            ? restoreHistogram(c.reference, stored as CompactHistogramJSON)
            : CategoryCounts.fromJSON(stored as CategoryCountsJSON);
        (out.states[i] as NumericHistogram).merge(state as NumericHistogram & CategoryCounts);
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

import { figureSampling, type FigureSampling } from '../../core/src/performance/index.ts';
import {
  emptyState,
  holdsState,
  mergeState,
  stateFromJSON,
  stateMetrics,
  stateToJSON,
  subtractState,
} from './kind-state.ts';
import type { Kind, KindState, KindStateJson } from './kind-state.ts';

/** The scope of the labels-mode baseline in a series' baselines and in the changelog key. */
export const LABELS_SCOPE = 'labels';

export interface BaselineJson {
  windows: number;
  complete: boolean;
  state: KindStateJson;
  /** Labels mode: event-time span of the samples taken (predicted_at), null before the first. */
  fromMs?: number | null;
  toMs?: number | null;
  /** What it is made of, for the rows and alerts (see {@link Baseline.source}). */
  source?: string;
}

/** Figures that have no meaningful baseline: counts grow with the window, and error bounds are not figures. */
const NO_BASELINE = /^(count|scored_count|mape_zero_targets|support:.*|confusion:.*|.*_max_error)$/;

/** What a window row needs from its baseline: the figures, how each was sampled, what the baseline is. */
export interface BaselineView {
  figures: ReadonlyMap<string, number>;
  sampling: ReadonlyMap<string, FigureSampling>;
  source: string;
}

/**
 * The reference figures of one model version, segment and window size: the merged state of its first N
 * labeled predictions, of its first N complete windows, or of every sample in a reference period. Its metrics
 * exist once it is complete; until then rows carry a NULL baseline and delta.
 */
export class Baseline {
  windows = 0;
  complete = false;
  /** Labels mode: the event-time span of the samples taken (a window overlapping it is not compared). */
  fromMs: number | null = null;
  toMs: number | null = null;
  source = '';
  private readonly state: KindState;
  private view: BaselineView | undefined;

  constructor(kind: Kind, state?: KindState) {
    this.state = state ?? emptyState(kind);
  }

  /** Labeled predictions held. */
  get count(): number {
    return this.state.count;
  }

  /** Adds a window (first-N mode) or a batch's samples (period mode). */
  add(state: KindState, isWindow: boolean): void {
    mergeState(this.state, state);
    if (isWindow) this.windows += 1;
  }

  /** Adds one labeled prediction (labels mode), widening the event-time span it covers. */
  addSample(sample: KindState, predictedAtMs: number): void {
    mergeState(this.state, sample);
    this.fromMs = Math.min(this.fromMs ?? predictedAtMs, predictedAtMs);
    this.toMs = Math.max(this.toMs ?? predictedAtMs, predictedAtMs);
  }

  /** Takes a correction's earlier pair out (period mode, while incomplete); false when it is not held. */
  subtract(state: KindState): boolean {
    if (!holdsState(this.state, state)) return false;
    subtractState(this.state, state);
    return true;
  }

  /** Marks the baseline complete, saying what it is made of; its figures are fixed from now on. */
  finish(source: string): void {
    this.complete = true;
    this.source = source;
    this.view = undefined;
  }

  /** The baseline value and sampling of each figure that has one; undefined until complete. */
  figures(): BaselineView | undefined {
    if (!this.complete) return undefined;
    this.view ??= {
      figures: new Map(
        stateMetrics(this.state)
          .filter((m) => !NO_BASELINE.test(m.metric))
          .map((m) => [m.metric, m.value]),
      ),
      sampling: figureSampling(this.state),
      source: this.source,
    };
    return this.view;
  }

  toJSON(): BaselineJson {
    const json: BaselineJson = {
      windows: this.windows,
      complete: this.complete,
      state: stateToJSON(this.state),
    };
    if (this.fromMs !== null) Object.assign(json, { fromMs: this.fromMs, toMs: this.toMs });
    if (this.source) json.source = this.source;
    return json;
  }

  static fromJSON(json: BaselineJson): Baseline {
    const baseline = new Baseline(json.state.kind, stateFromJSON(json.state));
    baseline.windows = json.windows;
    baseline.complete = json.complete;
    baseline.fromMs = json.fromMs ?? null;
    baseline.toMs = json.toMs ?? null;
    baseline.source = json.source ?? '';
    return baseline;
  }
}

const iso = (ms: number | null) => (ms === null ? '?' : new Date(ms).toISOString().slice(0, 16) + 'Z');

/** `first 2000 labeled predictions (2026-01-01T00:00Z – 2026-01-01T01:52Z)`. */
export function labelsSource(b: Baseline): string {
  return `first ${b.count} labeled predictions (${iso(b.fromMs)} – ${iso(b.toMs)})`;
}

/** `first 1 complete 1h window(s) (2000 labeled predictions)`. */
export function windowsSource(b: Baseline, size: string): string {
  return `first ${b.windows} complete ${size} window(s) (${b.count} labeled predictions)`;
}

/** `labeled predictions of 2026-01-01T00:00Z – 2026-01-02T00:00Z (1500)`. */
export function periodSource(b: Baseline, fromMs: number, toMs: number): string {
  return `labeled predictions of ${iso(fromMs)} – ${iso(toMs)} (${b.count})`;
}

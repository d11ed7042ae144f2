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

export interface BaselineJson {
  windows: number;
  complete: boolean;
  state: KindStateJson;
}

/** Figures that have no meaningful baseline: counts grow with the window, and error bounds are not figures. */
const NO_BASELINE = /^(count|scored_count|mape_zero_targets|support:.*|confusion:.*|.*_max_error)$/;

/**
 * The reference figures of one model version, segment and window size: the merged state of its first N
 * complete windows, or of every sample in a reference period. Its metrics exist once it is complete; until
 * then rows carry a NULL baseline and delta.
 */
export class Baseline {
  windows = 0;
  complete = false;
  private readonly state: KindState;
  private values: Map<string, number> | undefined;

  constructor(kind: Kind, state?: KindState) {
    this.state = state ?? emptyState(kind);
  }

  /** Adds a window (first-N mode) or a batch's samples (period mode). */
  add(state: KindState, isWindow: boolean): void {
    mergeState(this.state, state);
    if (isWindow) this.windows += 1;
  }

  /** Takes a correction's earlier pair out (period mode, while incomplete); false when it is not held. */
  subtract(state: KindState): boolean {
    if (!holdsState(this.state, state)) return false;
    subtractState(this.state, state);
    return true;
  }

  /** Marks the baseline complete; its figures are fixed from now on. */
  finish(): void {
    this.complete = true;
    this.values = undefined;
  }

  /** The baseline value of each figure that has one; undefined until complete. */
  figures(): ReadonlyMap<string, number> | undefined {
    if (!this.complete) return undefined;
    if (!this.values) {
      this.values = new Map(
        stateMetrics(this.state)
          .filter((m) => !NO_BASELINE.test(m.metric))
          .map((m) => [m.metric, m.value]),
      );
    }
    return this.values;
  }

  toJSON(): BaselineJson {
    return { windows: this.windows, complete: this.complete, state: stateToJSON(this.state) };
  }

  static fromJSON(json: BaselineJson): Baseline {
    const baseline = new Baseline(json.state.kind, stateFromJSON(json.state));
    baseline.windows = json.windows;
    baseline.complete = json.complete;
    return baseline;
  }
}

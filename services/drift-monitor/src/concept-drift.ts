import type { AnyDriftDetector } from '../../core/src/drift/detector.ts';
import {
  createDetector,
  describeDetector,
  detectorFromJSON,
  type DetectorName,
} from '../../core/src/drift/registry.ts';
import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import {
  DEFAULT_CONFIRMATION,
  ErrorHistory,
  type Confirmation,
  type ErrorHistoryJSON,
  type RiseTest,
} from './error-history.ts';
import { versionKey } from './profile.ts';
import type { DetectorStateRow } from './detector-state-row.ts';

/** One detector of one model version on this partition, with what it has seen since its last drift. */
export interface TrackedDetector {
  modelId: string;
  modelVersion: string;
  name: DetectorName;
  detector: AnyDriftDetector;
  /** Every joined prediction of the partition up to this offset is in the detector. -1: none. */
  through: number;
  /** labeled_at of the first value since the last drift, and the count and sum of values since. */
  since: number | null;
  count: number;
  sum: number;
  /** The errors since the last reported drift, to confirm a detector's signal by a rise of the error rate. */
  history: ErrorHistory;
  /** `history.seen` at an unconfirmed signal still awaiting its confirmation; null: none. */
  pendingAt: number | null;
}

/** A drift signalled by a detector. */
export interface Detection {
  modelId: string;
  modelVersion: string;
  detector: DetectorName;
  /** event time (labeled_at) of the first value since the previous detection, and of the value that fired */
  fromMs: number;
  atMs: number;
  /** values since the previous detection and their mean: the error rate, or mean absolute error */
  count: number;
  meanError: number;
  offset: number;
  /** The error-rate rise that confirmed it (absent when confirmation is off: River's raw signals). */
  confirmation?: RiseTest;
}

interface StoredState {
  detector: unknown;
  since: number | null;
  count: number;
  sum: number;
  history?: ErrorHistoryJSON;
  pendingAt?: number | null;
}

/**
 * The error of a joined prediction: 0/1 for a classifier (predicted label against the true label), the
 * absolute error for a regressor; null when the pair says neither.
 */
export function errorOf(j: JoinedPrediction): { value: number; binary: boolean } | null {
  if (j.predicted_label !== null && j.predicted_label !== undefined) {
    return { value: j.predicted_label === String(j.label) ? 0 : 1, binary: true };
  }
  if (typeof j.predicted_value === 'number' && typeof j.label === 'number') {
    return { value: Math.abs(j.predicted_value - j.label), binary: false };
  }
  return null;
}

/**
 * Concept-drift detectors per model version over the stream of errors of one partition of the joined topic
 * (keyed by model, so a model's errors arrive in order on one partition). Pure; the state of each detector
 * carries its `through` offset, so a replay after a crash skips what the stored state already holds.
 * Corrections (a label replacing an earlier one) are not fed: each prediction counts once.
 *
 * The detectors are River's, signal for signal; on stationary error streams of a few thousand values they
 * signal often (bench/drift-concept.ts). A signal is therefore reported only when it is confirmed
 * (`confirmation`, see error-history.ts): enough errors seen since the last reported drift, and a
 * significant rise of the recent error rate over the earlier one. `null` reports every raw signal.
 */
export class ConceptDriftProcessor {
  private readonly tracked = new Map<string, TrackedDetector>();
  /** Raw signals the confirmation turned down (not re-counted while they wait), in the current batch. */
  private unconfirmed = 0;
  private readonly capacity: number;

  constructor(
    private readonly detectors: readonly DetectorName[],
    restored: readonly DetectorStateRow[] = [],
    private readonly confirmation: Confirmation | null = DEFAULT_CONFIRMATION,
  ) {
    this.capacity = Math.max(0, ...(confirmation?.recent ?? [0]));
    for (const row of restored) {
      const s = JSON.parse(row.state) as StoredState;
      const t: TrackedDetector = {
        modelId: row.model_id,
        modelVersion: row.model_version,
        name: row.detector as DetectorName,
        detector: detectorFromJSON(s.detector),
        through: row.through_offset,
        since: s.since,
        count: s.count,
        sum: s.sum,
        history: ErrorHistory.fromJSON(s.history, this.capacity),
        pendingAt: s.pendingAt ?? null,
      };
      this.tracked.set(trackedKey(t.modelId, t.modelVersion, t.name), t);
    }
  }

  process(messages: { offset: number; record: JoinedPrediction | null }[]): {
    touched: TrackedDetector[];
    detections: Detection[];
    lastOffset: number;
    /** Detector signals not (yet) confirmed by an error-rate rise. */
    unconfirmed: number;
  } {
    this.unconfirmed = 0;
    const touched = new Set<TrackedDetector>();
    const detections: Detection[] = [];
    for (const { offset, record } of messages) {
      if (record === null || record.correction) continue;
      const error = errorOf(record);
      if (error === null) continue;
      for (const name of this.detectors) {
        if (describeDetector(name).binary && !error.binary) continue;
        const t = this.get(record, name);
        if (offset <= t.through) continue;
        const d = this.feed(t, error, record.labeled_at, offset);
        if (d) detections.push(d);
        touched.add(t);
      }
    }
    const lastOffset = messages[messages.length - 1]?.offset ?? -1;
    for (const t of touched) t.through = lastOffset;
    return { touched: [...touched], detections, lastOffset, unconfirmed: this.unconfirmed };
  }

  private get(record: JoinedPrediction, name: DetectorName): TrackedDetector {
    const key = trackedKey(record.model_id, record.model_version, name);
    let t = this.tracked.get(key);
    if (!t) {
      t = {
        modelId: record.model_id,
        modelVersion: record.model_version,
        name,
        detector: createDetector(name),
        through: -1,
        since: null,
        count: 0,
        sum: 0,
        history: new ErrorHistory(this.capacity),
        pendingAt: null,
      };
      this.tracked.set(key, t);
    }
    return t;
  }

  private feed(
    t: TrackedDetector,
    error: { value: number; binary: boolean },
    atMs: number,
    offset: number,
  ): Detection | null {
    const value = error.value;
    t.detector.update(value);
    t.since ??= atMs;
    t.count += 1;
    t.sum += value;
    if (this.confirmation !== null) t.history.push(value);
    const signalled = t.detector.driftDetected;
    if (!signalled && !this.recheck(t)) return null;
    const confirmation = this.confirmation && t.history.confirm(this.confirmation, error.binary);
    if (confirmation && !confirmation.confirmed) {
      // A signal often comes before the rise is significant: it waits, re-tested, for one recent span.
      if (signalled) {
        if (t.pendingAt === null) this.unconfirmed += 1;
        t.pendingAt = t.history.seen;
      }
      return null;
    }
    t.pendingAt = null;
    const d: Detection = {
      modelId: t.modelId,
      modelVersion: t.modelVersion,
      detector: t.name,
      fromMs: t.since,
      atMs,
      count: t.count,
      meanError: t.sum / t.count,
      offset,
    };
    if (confirmation) d.confirmation = confirmation;
    t.since = null;
    t.count = 0;
    t.sum = 0;
    t.history.reset();
    return d;
  }

  /** Whether a pending signal is re-tested now: every RECHECK_EVERY errors, for one recent span. */
  private recheck(t: TrackedDetector): boolean {
    if (t.pendingAt === null) return false;
    const waited = t.history.seen - t.pendingAt;
    if (waited > this.capacity) {
      t.pendingAt = null;
      return false;
    }
    return waited % RECHECK_EVERY === 0;
  }

  /** The rows to store for the touched detectors. */
  static stateRows(touched: TrackedDetector[], partition: number, nowMs: number): DetectorStateRow[] {
    return touched.map((t) => ({
      model_id: t.modelId,
      model_version: t.modelVersion,
      detector: t.name,
      source_partition: partition,
      through_offset: t.through,
      state: JSON.stringify({
        detector: t.detector.toJSON(),
        since: t.since,
        count: t.count,
        sum: t.sum,
        history: t.history.toJSON(),
        pendingAt: t.pendingAt,
      } satisfies StoredState),
      written_at: Math.floor(nowMs / 1000),
    }));
  }
}

/** How often (in errors) a pending signal is re-tested: often enough for a short delay, cheap. */
const RECHECK_EVERY = 25;

function trackedKey(modelId: string, modelVersion: string, name: string): string {
  return `${versionKey(modelId, modelVersion)}\u0000${name}`;
}

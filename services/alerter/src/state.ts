import type { Alert, AlertKind, RetrainTrigger } from '../../core/src/records/records.generated.ts';
import { NO_SIGNALS, type Signals } from './diagnosis.ts';
import type { AlertState } from './lifecycle.ts';
import { NEW_POLICY, type PolicyState } from './retrain-policy.ts';

/**
 * Everything the alerter remembers about one model, stored as one record (key = model_id) in a compacted
 * changelog topic and written in the same Kafka transaction as the events it led to: after a crash the
 * restored state and the published events always agree.
 */
export interface ModelState {
  modelId: string;
  /** `version|source` → end (ms) of the last window evaluated: each window is evaluated once, in order. */
  cursors: Record<string, number>;
  /** `version|KIND|metric` → the alert's lifecycle. */
  alerts: Record<string, AlertState>;
  /** `version|KIND|metric` → the provisional alert sent on an open window, until that window is final. */
  provisional: Record<string, ProvisionalAlert>;
  policy: PolicyState;
  /** version → the latest drift-side and performance-side signals, for diagnosis across sources. */
  signals: Record<string, { drift: Signals; performance: Signals }>;
  /** Dead-letter and input totals at the last drift window: the rate is the change since. */
  deadLetter: { dead: number; input: number } | null;
  /**
   * The events of the last transaction: written to ClickHouse after the commit, and again after a restore,
   * so a crash between the commit and the insert loses no row (the rows are idempotent by id).
   */
  outbox: { alerts: Alert[]; triggers: RetrainTrigger[] };
}

/** A provisional alert awaiting its window's final verdict. */
export interface ProvisionalAlert {
  windowStartMs: number;
  alertId: string;
  kind: AlertKind;
  metric: string;
  rule: string;
  value: number;
  threshold: number;
}

export function newModelState(modelId: string): ModelState {
  return {
    modelId,
    cursors: {},
    alerts: {},
    provisional: {},
    policy: NEW_POLICY,
    signals: {},
    deadLetter: null,
    outbox: { alerts: [], triggers: [] },
  };
}

export const cursorKey = (version: string, source: string): string => `${version}|${source}`;
export const alertKey = (version: string, kind: string, metric: string): string =>
  `${version}|${kind}|${metric}`;

export function signalsOf(state: ModelState, version: string): { drift: Signals; performance: Signals } {
  return state.signals[version] ?? { drift: NO_SIGNALS, performance: NO_SIGNALS };
}

/** The changelog value: JSON, versioned so a later layout can read an older one. */
export function encodeState(state: ModelState): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, state }));
}

export function decodeState(value: Buffer): ModelState {
  const parsed = JSON.parse(value.toString('utf8')) as { v: number; state: ModelState };
  return { ...newModelState(parsed.state.modelId), ...parsed.state };
}

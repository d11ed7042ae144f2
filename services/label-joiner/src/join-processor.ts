import type { JoinExpiration } from '../../core/src/kafka/join-expiration.ts';
import type { GroundTruthEvent, JoinedPrediction } from '../../core/src/records/records.generated.ts';
import type { InferenceWithoutFeatures } from '../../core/src/serde/codecs.ts';
import type { JoinState, LabelSource, PendingPrediction, StoredLabel } from './join-state.ts';

export interface JoinOptions {
  /** How long a prediction waits for its label (event time). */
  labelDelayMs: number;
  /** How long a label waits for its prediction (event time). */
  orphanDelayMs: number;
  /** A second label: ignored (`first`) or replacing the first with a correction downstream (`last`). */
  duplicateLabels: 'first' | 'last';
}

export type JoinInput =
  | { kind: 'prediction'; event: InferenceWithoutFeatures }
  /** `source` is kept with a waiting label only when orphans are dead-lettered. */
  | { kind: 'label'; event: GroundTruthEvent; source: LabelSource | null };

export type JoinOutput =
  | { type: 'joined'; pair: JoinedPrediction; previousLabel: string | number | null }
  | { type: 'expired'; expiration: JoinExpiration; source: LabelSource | null }
  | { type: 'duplicate'; of: 'prediction' | 'label' };

/** The state change for one id (`undefined`: unchanged, `null`: deleted) and what to emit. */
export interface JoinStep {
  next: JoinState | null | undefined;
  outputs: JoinOutput[];
}

const unchanged = (outputs: JoinOutput[] = []): JoinStep => ({ next: undefined, outputs });

/**
 * The join of predictions and labels by prediction_id, in either order, as a pure function of the record,
 * the id's current state and the watermark (Kafka Streams' `process(record)`; `expire` is its event-time
 * punctuation). An entry whose deadline is already behind the watermark when it is written expires at once,
 * so a late event is counted like any other instead of waiting for a watermark that has passed.
 */
export class JoinProcessor {
  constructor(readonly options: JoinOptions) {}

  /**
   * @param watermark the watermark the resulting entry expires on: one number, or per entry (each model's
   *   clock, see join-store.ts `clockOf`).
   */
  process(
    input: JoinInput,
    current: JoinState | undefined,
    watermark: number | ((next: JoinState) => number),
  ): JoinStep {
    const step =
      input.kind === 'prediction' ? this.prediction(input.event, current) : this.label(input, current);
    if (!step.next) return step;
    if (step.next.expiresAt >= (typeof watermark === 'number' ? watermark : watermark(step.next)))
      return step;
    // Written already expired: emit its expiry now and keep nothing.
    const outputs = [...step.outputs, ...this.expire(input.event.prediction_id, step.next)];
    return { next: current ? null : undefined, outputs };
  }

  /** What an expired entry emits: a pending prediction is unlabeled, a waiting label an orphan. */
  expire(id: string, state: JoinState): JoinOutput[] {
    if (state.kind === 'prediction') {
      const p = state.prediction;
      const expiration: JoinExpiration = {
        prediction_id: id,
        model_id: p.model_id,
        model_version: p.model_version,
        kind: 'unlabeled',
        event_at: p.predicted_at,
        expired_at: state.expiresAt,
      };
      return [{ type: 'expired', expiration, source: null }];
    }
    if (state.kind === 'label') {
      const l = state.label;
      const expiration: JoinExpiration = {
        prediction_id: id,
        model_id: l.model_id ?? '',
        model_version: '',
        kind: 'orphan',
        event_at: l.labeled_at,
        expired_at: state.expiresAt,
      };
      return [{ type: 'expired', expiration, source: l.source }];
    }
    return [];
  }

  private prediction(event: InferenceWithoutFeatures, current: JoinState | undefined): JoinStep {
    if (current?.kind === 'prediction' || current?.kind === 'joined') {
      return unchanged([{ type: 'duplicate', of: 'prediction' }]);
    }
    const prediction = pendingOf(event);
    if (current?.kind === 'label') return this.join(event.prediction_id, prediction, current.label);
    return {
      next: {
        kind: 'prediction',
        expiresAt: prediction.predicted_at + this.options.labelDelayMs,
        prediction,
      },
      outputs: [],
    };
  }

  private label(input: Extract<JoinInput, { kind: 'label' }>, current: JoinState | undefined): JoinStep {
    const label = labelOf(input.event, input.source);
    if (current?.kind === 'prediction')
      return this.join(input.event.prediction_id, current.prediction, label);
    const last = this.options.duplicateLabels === 'last';
    if (current?.kind === 'joined') {
      if (!last || !current.prediction) return unchanged([{ type: 'duplicate', of: 'label' }]);
      return this.correct(input.event.prediction_id, current, label);
    }
    if (current?.kind === 'label' && !last) return unchanged([{ type: 'duplicate', of: 'label' }]);
    const outputs: JoinOutput[] = current ? [{ type: 'duplicate', of: 'label' }] : [];
    const expiresAt = label.labeled_at + this.options.orphanDelayMs;
    return { next: { kind: 'label', expiresAt, label }, outputs };
  }

  private join(id: string, prediction: PendingPrediction, label: StoredLabel): JoinStep {
    const keep = this.options.duplicateLabels === 'last';
    return {
      next: {
        kind: 'joined',
        expiresAt: this.markerExpiry(prediction, label),
        prediction: keep ? prediction : null,
        label: keep ? { ...label, source: null } : null,
        corrections: 0,
      },
      outputs: [{ type: 'joined', pair: pairOf(id, prediction, label, false), previousLabel: null }],
    };
  }

  private correct(id: string, marker: Extract<JoinState, { kind: 'joined' }>, label: StoredLabel): JoinStep {
    const prediction = marker.prediction!;
    const stored = { ...label, source: null };
    return {
      next: {
        ...marker,
        expiresAt: Math.max(marker.expiresAt, this.markerExpiry(prediction, label)),
        label: stored,
        corrections: marker.corrections + 1,
      },
      outputs: [
        { type: 'duplicate', of: 'label' },
        {
          type: 'joined',
          pair: pairOf(id, prediction, label, true),
          previousLabel: marker.label?.label ?? null,
        },
      ],
    };
  }

  /** A joined marker outlives both events by the label delay, so late duplicates of either are recognised. */
  private markerExpiry(prediction: PendingPrediction, label: StoredLabel): number {
    return Math.max(prediction.predicted_at, label.labeled_at) + this.options.labelDelayMs;
  }
}

function pendingOf(e: InferenceWithoutFeatures): PendingPrediction {
  return {
    model_id: e.model_id,
    model_version: e.model_version,
    predicted_at: e.timestamp,
    predicted_label: e.prediction.label ?? null,
    predicted_value: e.prediction.value ?? null,
    scores: e.prediction.scores ?? null,
    tags: e.tags ?? null,
  };
}

function labelOf(e: GroundTruthEvent, source: LabelSource | null): StoredLabel {
  return { label: e.label, labeled_at: e.timestamp, model_id: e.model_id ?? null, source };
}

function pairOf(id: string, p: PendingPrediction, l: StoredLabel, correction: boolean): JoinedPrediction {
  return {
    prediction_id: id,
    model_id: p.model_id,
    model_version: p.model_version,
    predicted_at: p.predicted_at,
    labeled_at: l.labeled_at,
    predicted_label: p.predicted_label,
    predicted_value: p.predicted_value,
    scores: p.scores,
    label: l.label,
    tags: p.tags,
    correction,
  };
}

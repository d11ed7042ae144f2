// Generated from schemas/*.avsc by `npm run gen:types`. Do not edit by hand.
// Avro timestamp-millis fields are epoch milliseconds (number).
/** One prediction made by a model server. Key: prediction_id (UTF-8). */
export interface InferenceEvent {
  /** Unique per prediction; the join key for ground truth. */
  prediction_id: string;
  model_id: string;
  model_version: string;
  /** When the prediction was made (event time). */
  timestamp: number;
  /** Model inputs by feature name. */
  features: Record<string, null | number | string | boolean>;
  prediction: Prediction;
  latency_ms?: null | number;
  /** Segments: region, experiment arm, shadow, ... */
  tags?: null | Record<string, string>;
  /** Named embedding vectors of the inputs (for example a sentence embedding of 384 floats); drift per name. */
  embeddings?: null | Record<string, number[]>;
  /** Set only on golden-set events: the output the model must give; a different prediction is alerted at once. */
  golden_expected?: null | GoldenExpected;
  /** The serving request this prediction answered: versions that scored the same request (production and shadow) share it. */
  request_id?: null | string;
}

/** A classifier sets label (and optionally scores); a regressor sets value. */
export interface Prediction {
  label?: null | string;
  /** Probability per class label. */
  scores?: null | Record<string, number>;
  value?: null | number;
}

/** The known output of a golden-set (canary) input: label for a classifier, value for a regressor. */
export interface GoldenExpected {
  label?: null | string;
  value?: null | number;
}

/** The true outcome of a prediction, known later. Key: prediction_id (UTF-8). */
export interface GroundTruthEvent {
  prediction_id: string;
  /** When the truth became known. */
  timestamp: number;
  /** The true class, or the true numeric value. */
  label: string | number;
  model_id?: null | string;
}

/** A monitoring alert. Key: model_id (UTF-8). */
export interface Alert {
  alert_id: string;
  model_id: string;
  model_version: string;
  kind: AlertKind;
  severity: Severity;
  status: AlertStatus;
  window_start: number;
  window_end: number;
  metric: string;
  value: number;
  threshold: number;
  message: string;
  evidence: Evidence[];
  /** data_drift | concept_drift | operational */
  diagnosis?: null | string;
  /** Decided on an open window; a later event on the final window confirms or withdraws it. */
  provisional: boolean;
  created_at?: null | number;
}

export type AlertKind =
  | 'PERFORMANCE'
  | 'DATA_DRIFT'
  | 'PREDICTION_DRIFT'
  | 'CONCEPT_DRIFT'
  | 'LATENCY'
  | 'DATA_QUALITY'
  | 'SHADOW_AGREEMENT';

export type Severity = 'INFO' | 'WARNING' | 'CRITICAL';

export type AlertStatus = 'FIRING' | 'RESOLVED';

/** A feature, class or test behind a decision, with its score. */
export interface Evidence {
  /** Feature name, class label or test name. */
  subject: string;
  /** feature | class | metric | detector | operational */
  subject_type: string;
  method: string;
  score: number;
  p_value?: null | number;
  threshold?: null | number;
  /** The test behind a verdict: two_proportion_z, welch_t, wilson_bound, t_bound, ks, chi2, ... */
  test?: null | string;
  /** Interval of the change (window - baseline) or of the figure (objectives): lower end. */
  interval_low?: null | number;
  interval_high?: null | number;
  /** The baseline figure. */
  baseline?: null | number;
  /** Samples behind the baseline figure. */
  baseline_count?: null | number;
  /** Samples behind the figure. */
  sample_count?: null | number;
  /** What the baseline is made of, e.g. first 2000 labeled predictions (from - to). */
  baseline_source?: null | string;
  /** Size of the change: drop in percent of the baseline, or the drift test's statistic. */
  effect_size?: null | number;
}

/** A request to retrain a model. Key: model_id (UTF-8). */
export interface RetrainTrigger {
  trigger_id: string;
  model_id: string;
  model_version: string;
  reasons: string[];
  triggered_at: number;
  evidence: Evidence[];
  alert_ids: string[];
}

/** Internal: a prediction joined to its ground truth. Key: model_id. Not part of the public contract. */
export interface JoinedPrediction {
  prediction_id: string;
  model_id: string;
  model_version: string;
  predicted_at: number;
  labeled_at: number;
  predicted_label?: null | string;
  predicted_value?: null | number;
  scores?: null | Record<string, number>;
  label: string | number;
  tags?: null | Record<string, string>;
  /** True when this pair replaces an earlier label. */
  correction: boolean;
}

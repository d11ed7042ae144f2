/**
 * One closed window of results, as the alerter evaluates it: a performance window (performance_metrics), a
 * drift window (drift_metrics, with the concept-drift detections, latency percentiles and dead-letter counts
 * of the same event-time range) or an agreement window (shadow_agreement). Plain data, read by inputs.ts.
 */

export interface MetricFigure {
  value: number;
  /** The version's baseline figure; null until the performance monitor has one. */
  baseline: number | null;
  /**
   * How the figure was sampled (performance_metrics' figure_count, figure_sd): its own denominator in the
   * window and, for mean errors, the sample sd of the per-sample quantity. Absent or 0: unknown, no test.
   */
  count?: number;
  sd?: number | null;
  /** The same in the baseline. */
  baselineCount?: number;
  baselineSd?: number | null;
}

interface WindowBase {
  modelId: string;
  modelVersion: string;
  startMs: number;
  endMs: number;
}

export interface PerformanceWindow extends WindowBase {
  source: 'performance';
  /** Labeled predictions in the window. */
  sampleCount: number;
  /** Every figure of the window by name (`accuracy`, `recall:<class>`, `mae`, ...). */
  metrics: Record<string, MetricFigure>;
  /** False for an open window (its figures can still change): judged provisionally. Absent: final. */
  final?: boolean;
  /** What the baseline is made of (e.g. `first 2000 labeled predictions (…)`); empty when unknown. */
  baselineSource?: string;
  /**
   * True for figures estimated from calibrated scores before any label (performance_estimates): always judged
   * provisionally (`final: false`), confirmed or withdrawn by the realized window. Absent: realized.
   */
  estimated?: boolean;
}

/** The decisive test of one column in one window. */
export interface FeatureResult {
  feature: string;
  method: string;
  statistic: number;
  pValue: number | null;
  threshold: number | null;
  drifted: boolean;
}

/** A feature behind a multivariate drift: its share of the window's reconstruction error. */
export interface Contributor {
  feature: string;
  share: number;
  /** How much its mean squared residual rose over the reference's. */
  rise: number;
}

/**
 * A drift test over several columns at once (decisive rows): the multivariate reconstruction error
 * (`__multivariate__`) or an embedding's MMD (`__embedding__:<name>`). Kept apart from the features: these
 * are no input features, so they count neither in the dataset share nor in a correction over features.
 */
export interface JointDriftResult extends FeatureResult {
  /** The multivariate row's features whose residuals rose most, largest first; empty for an embedding. */
  contributors: Contributor[];
}

export interface MissingRate {
  feature: string;
  rate: number;
  referenceRate: number;
}

export interface Detection {
  detector: string;
  meanError: number;
  count: number;
  /** When it fired (label time) and the joined-topic offset it fired at: a model's offsets only grow. */
  atMs: number;
  offset: number;
}

export interface DriftWindow extends WindowBase {
  source: 'drift';
  /** Input features (decisive rows), drifted or not. */
  features: FeatureResult[];
  /** The dataset row: share of drifted features. Null when the window had none. */
  share: number | null;
  prediction: FeatureResult | null;
  /** Multivariate and embedding drift of the window; absent or empty when it had none. */
  joint?: JointDriftResult[];
  missing: MissingRate[];
  /** Concept-drift detections that fired before the window's end; evaluate.ts counts each once. */
  detections: Detection[];
  /** Latency percentiles of the window's predictions, by percentile (`"95"`); empty when none had a latency. */
  latency: Record<string, number>;
  /** Totals of the dead-letter and input topics when the window was read (offset sums); null when unknown. */
  deadLetter: { dead: number; input: number } | null;
}

/** How often one version gave the same label as another on the requests both scored (shadow_agreement). */
export interface AgreementPair {
  /** The other version: the one taken as production (champion) beside this window's shadow version. */
  champion: string;
  /** Requests both versions scored in the window. */
  requests: number;
  /** Of those, the requests where both gave the same label. */
  agreements: number;
}

/**
 * An hour of shadow agreement, without labels: the window's version is the shadow (the newer of each pair),
 * with one entry per version it was compared with. Closed once the model's requests moved past its end.
 */
export interface AgreementWindow extends WindowBase {
  source: 'agreement';
  pairs: AgreementPair[];
}

export type ResultWindow = PerformanceWindow | DriftWindow | AgreementWindow;

/** At equal ends: drift first, so the performance window sees its drift; agreement needs neither. */
const SOURCE_RANK: Record<ResultWindow['source'], number> = { drift: 0, performance: 1, agreement: 2 };

/** Evaluation order: by window end, then source (SOURCE_RANK), then version. */
export function windowOrder(a: ResultWindow, b: ResultWindow): number {
  if (a.endMs !== b.endMs) return a.endMs - b.endMs;
  if (a.source !== b.source) return SOURCE_RANK[a.source] - SOURCE_RANK[b.source];
  return a.modelVersion.localeCompare(b.modelVersion);
}

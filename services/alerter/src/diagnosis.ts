import type { AlertKind, Evidence } from '../../core/src/records/records.generated.ts';

/**
 * What the latest windows of a model version say, gathered from both sources: the drift window (features,
 * output, detectors, operational figures) and the performance window (drops, classes). Kept in the state so a
 * performance alert can name the drifted features of the same hour, and the other way round.
 */
export interface Signals {
  driftedFeatures: Evidence[];
  /** The output's distribution moved (evidence of the `__prediction__` test), or null. */
  predictionDrift: Evidence | null;
  detectorHits: Evidence[];
  /** Breaching operational figures: latency, dead-letter rate, missing-rate rise. */
  operational: Evidence[];
  /** Classes whose recall fell most. */
  recallDrops: Evidence[];
  /** A performance rule is breaching. */
  performanceDrop: boolean;
}

export const NO_SIGNALS: Signals = {
  driftedFeatures: [],
  predictionDrift: null,
  detectorHits: [],
  operational: [],
  recallDrops: [],
  performanceDrop: false,
};

export type DiagnosisName = 'data_drift' | 'concept_drift' | 'operational';
export type Remedy = 'retrain' | 'rollback' | 'scale' | 'investigate';

export interface Diagnosis {
  diagnosis: DiagnosisName;
  remedy: Remedy;
  message: string;
}

const names = (e: readonly Evidence[]) => e.map((x) => x.subject).join(', ');

/** The diagnosis when nothing else points anywhere: the alert's own kind. */
const BY_KIND: Record<AlertKind, DiagnosisName> = {
  PERFORMANCE: 'concept_drift',
  CONCEPT_DRIFT: 'concept_drift',
  DATA_DRIFT: 'data_drift',
  PREDICTION_DRIFT: 'data_drift',
  LATENCY: 'operational',
  DATA_QUALITY: 'operational',
  // Two versions answering the same requests differently: the serving side changed, not the world.
  SHADOW_AGREEMENT: 'operational',
};

function operational(s: Signals): Diagnosis {
  const slow = s.operational.some((e) => e.subject.startsWith('latency'));
  return {
    diagnosis: 'operational',
    remedy: slow ? 'scale' : 'investigate',
    message: slow
      ? `operational fault: ${names(s.operational)} breached; scale the model server before judging the model`
      : `operational fault: ${names(s.operational)} breached; fix the producer or feature pipeline upstream`,
  };
}

function dataDrift(s: Signals): Diagnosis {
  const classes = s.recallDrops.length > 0 ? `; recall fell most for ${names(s.recallDrops)}` : '';
  return s.performanceDrop
    ? {
        diagnosis: 'data_drift',
        remedy: 'retrain',
        message: `data drift in ${names(s.driftedFeatures)} with a performance drop${classes}: retrain on recent data`,
      }
    : {
        diagnosis: 'data_drift',
        remedy: 'investigate',
        message: `data drift in ${names(s.driftedFeatures)}, performance holds so far: watch the labels, retrain if it follows`,
      };
}

/**
 * A first diagnosis from a window's evidence, in the order an on-call engineer works: detect (the alert),
 * investigate (operational figures first: they explain everything else), isolate (inputs moved → data drift;
 * outputs moved on unchanged inputs → the deployed model changed; errors rose on unchanged inputs → concept
 * drift), then suggest the remedy. Pure.
 * @example diagnose('PERFORMANCE', {...NO_SIGNALS, performanceDrop: true}).remedy // 'retrain' (concept drift)
 */
export function diagnose(kind: AlertKind, s: Signals): Diagnosis {
  if (s.operational.length > 0) return operational(s);
  if (s.driftedFeatures.length > 0) return dataDrift(s);
  if (s.predictionDrift && (s.performanceDrop || kind === 'PREDICTION_DRIFT')) {
    return {
      diagnosis: 'operational',
      remedy: 'rollback',
      message: 'the outputs moved while the inputs did not: suspect the deployed model version and roll back',
    };
  }
  if (s.performanceDrop || s.detectorHits.length > 0) {
    const by = s.detectorHits.length > 0 ? ` (${names(s.detectorHits)} fired)` : '';
    const classes = s.recallDrops.length > 0 ? `; recall fell most for ${names(s.recallDrops)}` : '';
    return {
      diagnosis: 'concept_drift',
      remedy: 'retrain',
      message: `errors rose on unchanged inputs${by}: the relation between features and labels moved${classes}; retrain`,
    };
  }
  return {
    diagnosis: BY_KIND[kind],
    remedy: 'investigate',
    message: 'no corroborating evidence in the same windows',
  };
}

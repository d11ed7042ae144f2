import type { DriftlineConfig } from './settings.ts';

/** Topic names under the configured prefix. Public ones are in CONTRACT.md; the rest are internal. */
export interface TopicNames {
  inference: string;
  groundTruth: string;
  alerts: string;
  retrainTriggers: string;
  deadLetter: string;
  joined: string;
}

export function topicNames(config: Pick<DriftlineConfig, 'topicPrefix'>): TopicNames {
  const p = config.topicPrefix;
  return {
    inference: `${p}inference.v1`,
    groundTruth: `${p}ground-truth.v1`,
    alerts: `${p}alerts.v1`,
    retrainTriggers: `${p}retrain-triggers.v1`,
    deadLetter: `${p}dead-letter.v1`,
    joined: `${p}internal.joined-predictions.v1`,
  };
}

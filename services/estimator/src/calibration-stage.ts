import { DecodeError } from '../../core/src/errors.ts';
import type { PartitionBatch } from '../../core/src/kafka/committing-consumer.ts';
import type { Logger } from '../../core/src/logger.ts';
import {
  CalibrationCounts,
  type CalibrationCountsJson,
  type ScoreCalibration,
} from '../../core/src/performance/isotonic-calibration.ts';
import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import type { CalibrationRow, EstimatorStore } from './store.ts';

interface Learning {
  counts: CalibrationCounts;
  /** Labeled predictions whose predicted label was right: the version's reference accuracy (null: not stored). */
  correct: number | null;
  partition: number;
  through: number;
  complete: boolean;
  fitted?: ScoreCalibration;
}

/** The state column of estimator_calibrations. */
interface StoredCalibration {
  counts: CalibrationCountsJson;
  correct: number | null;
}

/**
 * A stored calibration row's state. Rows written before the reference accuracy was kept hold the counts alone:
 * they still calibrate, with no reference accuracy.
 */
export function storedCalibration(text: string): { counts: CalibrationCountsJson; correct: number | null } {
  const state = JSON.parse(text) as StoredCalibration | CalibrationCountsJson;
  return 'counts' in state ? state : { counts: state, correct: null };
}

const versionKey = (modelId: string, modelVersion: string) => `${modelId}\u0000${modelVersion}`;

/**
 * Learns each model version's calibration from its first `referenceLabels` labeled predictions (the joined
 * topic, keyed by model: one partition holds all of a version's pairs). Refresh policy: learned once per
 * version and then fixed, as the performance monitor's `labels:N` baseline; a new version learns its own.
 * After each batch the counts of touched versions are written before the offsets are committed; a replayed
 * batch skips what the stored counts already hold (through_offset).
 */
export class CalibrationStage {
  private readonly versions = new Map<string, Learning>();

  constructor(
    private readonly deps: {
      store: EstimatorStore;
      referenceLabels: number;
      decode: (value: Buffer | null) => Promise<JoinedPrediction>;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  /** Loads every stored calibration (at start-up, and to learn what other instances completed). */
  async load(): Promise<void> {
    for (const row of await this.deps.store.calibrations()) {
      const state = storedCalibration(row.state);
      const counts = CalibrationCounts.fromJSON(state.counts);
      const complete = Number(row.complete) === 1;
      this.versions.set(versionKey(row.model_id, row.model_version), {
        counts,
        correct: state.correct,
        partition: row.source_partition,
        through: row.through_offset,
        complete,
        fitted: complete ? counts.fit() : undefined,
      });
    }
  }

  /** The complete calibration of a version, or undefined while it is still being learned. */
  calibrationOf = (modelId: string, modelVersion: string): ScoreCalibration | undefined =>
    this.versions.get(versionKey(modelId, modelVersion))?.fitted;

  /** The labeled predictions a version's calibration was learned from: how many, and their accuracy. */
  referenceOf(modelId: string, modelVersion: string): { labeled: number; accuracy: number | null } {
    const l = this.versions.get(versionKey(modelId, modelVersion));
    if (!l || !l.complete || l.counts.labeled === 0)
      return { labeled: l?.counts.labeled ?? 0, accuracy: null };
    if (l.correct === null) return { labeled: l.counts.labeled, accuracy: null };
    return { labeled: l.counts.labeled, accuracy: l.correct / l.counts.labeled };
  }

  handle = async ({ partition, messages }: PartitionBatch): Promise<void> => {
    const touched = new Map<string, { modelId: string; modelVersion: string; learning: Learning }>();
    for (const m of messages) {
      const pair = await this.decode(m.value);
      if (!pair || pair.correction || typeof pair.label !== 'string' || !pair.scores) continue;
      const key = versionKey(pair.model_id, pair.model_version);
      const learning = this.versions.get(key) ?? this.start(key, partition);
      const offset = Number(m.offset);
      if (learning.complete || (learning.partition === partition && offset <= learning.through)) continue;
      learning.counts.update(pair.scores, pair.label);
      if (pair.predicted_label === pair.label && learning.correct !== null) learning.correct += 1;
      learning.partition = partition;
      learning.through = offset;
      if (learning.counts.labeled >= this.deps.referenceLabels) {
        learning.complete = true;
        learning.fitted = learning.counts.fit();
        this.deps.logger.info(
          { model: pair.model_id, version: pair.model_version, labeled: learning.counts.labeled },
          'calibration complete',
        );
      }
      touched.set(key, { modelId: pair.model_id, modelVersion: pair.model_version, learning });
    }
    const now = (this.deps.now ?? Date.now)();
    await this.deps.store.insert(
      'estimator_calibrations',
      [...touched.values()].map((t) => calibrationRow(t.modelId, t.modelVersion, t.learning, now)),
    );
  };

  private start(key: string, partition: number): Learning {
    const learning: Learning = {
      counts: new CalibrationCounts(),
      correct: 0,
      partition,
      through: -1,
      complete: false,
    };
    this.versions.set(key, learning);
    return learning;
  }

  private async decode(value: Buffer | null): Promise<JoinedPrediction | null> {
    try {
      return await this.deps.decode(value);
    } catch (error) {
      // The joiner writes this topic; a bad value is skipped, a registry outage retries the batch.
      if (error instanceof DecodeError) return null;
      throw error;
    }
  }
}

function calibrationRow(modelId: string, modelVersion: string, l: Learning, now: number): CalibrationRow {
  return {
    model_id: modelId,
    model_version: modelVersion,
    source_partition: l.partition,
    through_offset: l.through,
    labeled: l.counts.labeled,
    complete: l.complete ? 1 : 0,
    state: JSON.stringify({ counts: l.counts.toJSON(), correct: l.correct } satisfies StoredCalibration),
    written_at_ms: now,
  };
}

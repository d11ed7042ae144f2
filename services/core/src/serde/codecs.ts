import type { TopicNames } from '../config/topics.ts';
import type {
  Alert,
  GroundTruthEvent,
  InferenceEvent,
  JoinedPrediction,
  RetrainTrigger,
} from '../records/records.generated.ts';
import { readSchema } from '../records/schema-files.ts';
import { RecordCodec, type WriterSchemaSource } from './record-codec.ts';
import type { SchemaRegistryClient } from './schema-registry.ts';
import { checkGroundTruth, checkInference } from './validate.ts';

/** An inference event as the label joiner reads it: all but the features, which it never keeps. */
export type InferenceWithoutFeatures = Omit<InferenceEvent, 'features'>;

/** One codec per record Driftline handles. */
export interface Codecs {
  inference: RecordCodec<InferenceEvent>;
  /** Decodes only; skips the features' bytes. */
  inferenceWithoutFeatures: RecordCodec<InferenceWithoutFeatures>;
  groundTruth: RecordCodec<GroundTruthEvent>;
  alert: RecordCodec<Alert>;
  retrainTrigger: RecordCodec<RetrainTrigger>;
  joined: RecordCodec<JoinedPrediction>;
}

export function createCodecs(writerSchemas: WriterSchemaSource): Codecs {
  return {
    inference: new RecordCodec<InferenceEvent>({
      schema: readSchema('InferenceEvent'),
      writerSchemas,
      check: checkInference,
      limits: true,
    }),
    inferenceWithoutFeatures: new RecordCodec<InferenceWithoutFeatures>({
      schema: readSchema('InferenceEvent'),
      writerSchemas,
      check: checkInference,
      limits: true,
      skipFields: ['features'],
    }),
    groundTruth: new RecordCodec<GroundTruthEvent>({
      schema: readSchema('GroundTruthEvent'),
      writerSchemas,
      check: checkGroundTruth,
      limits: true,
    }),
    alert: new RecordCodec<Alert>({ schema: readSchema('Alert'), writerSchemas }),
    retrainTrigger: new RecordCodec<RetrainTrigger>({ schema: readSchema('RetrainTrigger'), writerSchemas }),
    joined: new RecordCodec<JoinedPrediction>({ schema: readSchema('JoinedPrediction'), writerSchemas }),
  };
}

/**
 * Registers every schema under `<topic>-value` (TopicNameStrategy) with BACKWARD compatibility and gives each
 * codec its id for encoding. Idempotent: run by every service at start-up.
 */
export async function registerSchemas(
  registry: SchemaRegistryClient,
  codecs: Codecs,
  topics: TopicNames,
): Promise<void> {
  const pairs: [{ schemaId: number | undefined }, string, Parameters<typeof readSchema>[0]][] = [
    [codecs.inference, topics.inference, 'InferenceEvent'],
    [codecs.groundTruth, topics.groundTruth, 'GroundTruthEvent'],
    [codecs.alert, topics.alerts, 'Alert'],
    [codecs.retrainTrigger, topics.retrainTriggers, 'RetrainTrigger'],
    [codecs.joined, topics.joined, 'JoinedPrediction'],
  ];
  for (const [codec, topic, name] of pairs) {
    codec.schemaId = await registry.register(`${topic}-value`, readSchema(name));
  }
}

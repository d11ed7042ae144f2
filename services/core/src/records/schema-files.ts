import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The Avro schemas of every record Driftline reads or writes, by record name. The .avsc files are the source of truth. */
export const SCHEMA_FILES = {
  InferenceEvent: 'inference-event.avsc',
  GroundTruthEvent: 'ground-truth-event.avsc',
  Alert: 'alert.avsc',
  RetrainTrigger: 'retrain-trigger.avsc',
  JoinedPrediction: 'joined-prediction.avsc',
} as const;

export type RecordName = keyof typeof SCHEMA_FILES;

export const SCHEMAS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../schemas');

export type AvroSchema = Record<string, unknown>;

/** Reads one .avsc file as parsed JSON. */
export function readSchema(name: RecordName): AvroSchema {
  return JSON.parse(readFileSync(path.join(SCHEMAS_DIR, SCHEMA_FILES[name]), 'utf8')) as AvroSchema;
}

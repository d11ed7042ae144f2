import avro from 'avsc';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { GroundTruthEvent, InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { readSchema } from '../../services/core/src/records/schema-files.ts';
import { SchemaRegistryClient } from '../../services/core/src/serde/schema-registry.ts';
import { withHeader } from '../../services/core/src/serde/wire-format.ts';

/** Encodes an event of either input topic as the wire format producers send (Avro with the registry header). */
export type Encode = (topic: 'inference' | 'truth', e: InferenceEvent | GroundTruthEvent) => Buffer;

/** Registers both input schemas under the topics of `prefix` and returns a synchronous encoder for them. */
export async function avroEncoder(prefix: string, registryUrl: string): Promise<Encode> {
  const topics = topicNames({ topicPrefix: prefix });
  const registry = new SchemaRegistryClient({ url: registryUrl, username: '', password: '' });
  const types = {
    inference: avro.Type.forSchema(readSchema('InferenceEvent') as avro.Schema),
    truth: avro.Type.forSchema(readSchema('GroundTruthEvent') as avro.Schema),
  };
  const ids = {
    inference: await registry.register(`${topics.inference}-value`, readSchema('InferenceEvent')),
    truth: await registry.register(`${topics.groundTruth}-value`, readSchema('GroundTruthEvent')),
  };
  return (topic, e) => withHeader(ids[topic], types[topic].toBuffer(e));
}

import type { Codecs } from '../../core/src/serde/codecs.ts';
import type { TopicNames } from '../../core/src/config/topics.ts';
import type { Producer } from '../../core/src/kafka/client.ts';
import type { SimulatedPair } from './classifier-traffic.ts';

/**
 * Produces simulated predictions and, for a share of them, their labels, as Avro in the wire format.
 * Labels go out after all predictions, the way ground truth trails in production.
 */
export async function publishTraffic(
  producer: Producer,
  codecs: Codecs,
  topics: TopicNames,
  pairs: SimulatedPair[],
  labelShare = 0.9,
): Promise<{ predictions: number; labels: number }> {
  const chunk = 2000;
  for (let i = 0; i < pairs.length; i += chunk) {
    const messages = pairs
      .slice(i, i + chunk)
      .map((p) => ({ key: p.inference.prediction_id, value: codecs.inference.encode(p.inference) }));
    await producer.send({ topic: topics.inference, messages });
  }
  const labelled = pairs.filter((_, i) => (i * 0.6180339887) % 1 < labelShare);
  for (let i = 0; i < labelled.length; i += chunk) {
    const messages = labelled
      .slice(i, i + chunk)
      .map((p) => ({ key: p.truth.prediction_id, value: codecs.groundTruth.encode(p.truth) }));
    await producer.send({ topic: topics.groundTruth, messages });
  }
  return { predictions: pairs.length, labels: labelled.length };
}

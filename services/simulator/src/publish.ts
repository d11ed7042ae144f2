import type { TopicNames } from '../../core/src/config/topics.ts';
import type { Producer } from '../../core/src/kafka/client.ts';
import type { GroundTruthEvent, InferenceEvent } from '../../core/src/records/records.generated.ts';
import type { Codecs } from '../../core/src/serde/codecs.ts';
import type { SimulatedPair } from './classifier-traffic.ts';

/** What reaches Kafka in one stretch of event time: the predictions made in it and the labels that came in it. */
export interface ArrivalChunk {
  /** Event time the chunk ends at (exclusive). */
  untilMs: number;
  predictions: InferenceEvent[];
  labels: GroundTruthEvent[];
}

/** Whether pair `i` gets its label: a fixed, evenly spread share (golden-ratio sequence), the same every run. */
const labelled = (i: number, share: number) => (i * 0.6180339887) % 1 < share;

/**
 * Cuts traffic into chunks of `chunkMs` of event time, as it would arrive live: each prediction at its own
 * time, each label (for `labelShare` of them) at its label time. Pure.
 * @example arrivalChunks(pairs, 0.9, 20_000)[0].untilMs // the first event's time rounded up to 20 s
 */
export function arrivalChunks(
  pairs: readonly SimulatedPair[],
  labelShare: number,
  chunkMs: number,
): ArrivalChunk[] {
  const chunks = new Map<number, ArrivalChunk>();
  const at = (ts: number) => {
    const key = Math.floor(ts / chunkMs);
    let c = chunks.get(key);
    if (!c) chunks.set(key, (c = { untilMs: (key + 1) * chunkMs, predictions: [], labels: [] }));
    return c;
  };
  pairs.forEach((p, i) => {
    at(p.inference.timestamp).predictions.push(p.inference);
    if (labelled(i, labelShare)) at(p.truth.timestamp).labels.push(p.truth);
  });
  const out = [...chunks.values()].sort((a, b) => a.untilMs - b.untilMs);
  for (const c of out) {
    c.predictions.sort((a, b) => a.timestamp - b.timestamp);
    c.labels.sort((a, b) => a.timestamp - b.timestamp);
  }
  return out;
}

export interface LiveOptions {
  labelShare: number;
  /** Event time per chunk. */
  chunkMs: number;
  /** Waits until the pipeline has taken in what was sent, so every partition's event time moves on together. */
  settle: () => Promise<void>;
  /** Called (and awaited) after each chunk, e.g. to report progress. */
  onChunk?: (c: ArrivalChunk) => void | Promise<void>;
}

/**
 * Produces simulated traffic as a live stream, faster than real time: chunk by chunk in event time, the
 * chunk's predictions then its labels (Avro, wire format), then `settle()`. Sent all at once instead, one
 * partition's whole run could be joined before another's first minute, and a label would trail its window's
 * stream time by minutes: later than any reasonable allowed lateness.
 */
export async function publishLive(
  producer: Producer,
  codecs: Codecs,
  topics: TopicNames,
  pairs: readonly SimulatedPair[],
  o: LiveOptions,
): Promise<{ predictions: number; labels: number }> {
  let predictions = 0;
  let labels = 0;
  for (const chunk of arrivalChunks(pairs, o.labelShare, o.chunkMs)) {
    if (chunk.predictions.length > 0) {
      const messages = chunk.predictions.map((e) => ({
        key: e.prediction_id,
        value: codecs.inference.encode(e),
      }));
      await producer.send({ topic: topics.inference, messages });
    }
    if (chunk.labels.length > 0) {
      const messages = chunk.labels.map((e) => ({
        key: e.prediction_id,
        value: codecs.groundTruth.encode(e),
      }));
      await producer.send({ topic: topics.groundTruth, messages });
    }
    predictions += chunk.predictions.length;
    labels += chunk.labels.length;
    await o.settle();
    await o.onChunk?.(chunk);
  }
  return { predictions, labels };
}

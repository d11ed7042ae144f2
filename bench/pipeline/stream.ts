// The benchmark's streams, encoded before any clock starts (the pipeline's runs produce them with
// librdkafka-producer.ts), and produceFlatOut, as fast as kafkajs goes from this process (bench/sink.ts).
import type { Kafka, Message } from 'kafkajs';
import type { TopicNames } from '../../services/core/src/config/topics.ts';
import { classifierTraffic, type SimulatedPair } from '../../services/simulator/src/classifier-traffic.ts';
import type { Encode } from '../lib/avro-encoder.ts';
import type { OutgoingRecord } from './librdkafka-producer.ts';

export const T0 = Date.parse('2026-06-01T00:00:00Z');
export const MODELS = ['model-0', 'model-1', 'model-2'] as const;

export interface Stream {
  inference: Message[];
  truth: Message[];
}

/** The throughput stream: per model, predictions 100 ms apart, 90% of them labeled; model after model. */
export function buildStream(encode: Encode, predictions: number): Stream {
  const perModel = Math.ceil(predictions / MODELS.length);
  const stream: Stream = { inference: [], truth: [] };
  MODELS.forEach((modelId, m) => {
    const traffic = (shift: number, seed: number, startMs: number, idPrefix: string) =>
      classifierTraffic({ modelId, modelVersion: 'v1', numericFeatures: 20, shift, seed, startMs, idPrefix });
    const half = Math.floor(perModel / 2);
    const first = traffic(0, m + 1, T0, `m${m}a`);
    const second = traffic(m === 2 ? 1 : 0, m + 11, T0 + half * 100, `m${m}b`);
    for (let i = 0; i < perModel; i++) {
      const { inference, truth } = (i < half ? first : second).next().value!;
      stream.inference.push({ key: inference.prediction_id, value: encode('inference', inference) });
      if (i % 10 !== 9) stream.truth.push({ key: truth.prediction_id, value: encode('truth', truth) });
    }
  });
  return stream;
}

/** The throughput stream's chunks in produce order: 5,000 predictions, then their share of the labels. */
function* chunks(stream: Stream): Generator<{ predictions: Message[]; labels: Message[] }> {
  const chunk = 5_000;
  const ratio = stream.truth.length / stream.inference.length;
  for (let i = 0; i < stream.inference.length; i += chunk)
    yield {
      predictions: stream.inference.slice(i, i + chunk),
      labels: stream.truth.slice(Math.floor(i * ratio), Math.floor((i + chunk) * ratio)),
    };
}

/** The throughput stream in produce order, record by record (for librdkafka-producer.ts). */
export function flatOutOrder(stream: Stream): OutgoingRecord[] {
  const out: OutgoingRecord[] = [];
  for (const { predictions, labels } of chunks(stream)) {
    for (const message of predictions) out.push({ topic: 'inference', message });
    for (const message of labels) out.push({ topic: 'truth', message });
  }
  return out;
}

/** Produces both topics in step, chunk by chunk (labels of a chunk after its predictions), a few in flight. */
export async function produceFlatOut(kafka: Kafka, topics: TopicNames, stream: Stream): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const inFlight: Promise<unknown>[] = [];
  for (const { predictions, labels } of chunks(stream)) {
    inFlight.push(producer.send({ topic: topics.inference, messages: predictions }));
    inFlight.push(producer.send({ topic: topics.groundTruth, messages: labels }));
    if (inFlight.length >= 4) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  await producer.disconnect();
}

/** One record of the paced stream, with what the latency figures need to know about it. */
export interface TimedEvent {
  topic: 'inference' | 'truth';
  id: string;
  modelId: string;
  /** Event time of the record: the prediction's, or the label's. */
  timestamp: number;
  /** Event time of the prediction (of a label: the prediction it labels). */
  predictedAt: number;
  message: Message;
}

/** What changes half way through the paced stream, and where. */
export const PACED_CHANGES =
  'model-2 x0 shifted by one standard deviation from half way (data drift); model-1 wrong 30% of the time instead of 10% from a quarter of the way (a drop in accuracy)';

/**
 * The latency stream: `predictions` over `spanMs` of event time per model, every record (labels 1-61 s after
 * their prediction) in event-time order, as a live system sends them. The span covers more than two of the
 * default one-hour windows, so windows close during the run; model-2 drifts in the second hour, model-1's
 * accuracy drops in the first. A `warmUp` stream has three other models (warm-up-0, ...) without changes, a day
 * earlier in event time: traffic that brings the pipeline to its steady state without touching the measured
 * models' clocks or windows.
 */
export function buildTimedStream(
  encode: Encode,
  predictions: number,
  spanMs: number,
  warmUp = false,
): TimedEvent[] {
  const perModel = Math.ceil(predictions / MODELS.length);
  const stepMs = spanMs / perModel;
  const startMs = warmUp ? T0 - 86_400_000 : T0;
  const events: TimedEvent[] = [];
  MODELS.forEach((name, m) => {
    const modelId = warmUp ? `warm-up-${m}` : name;
    const changeAt = warmUp
      ? perModel
      : m === 2
        ? Math.floor(perModel / 2)
        : m === 1
          ? Math.floor(perModel / 4)
          : perModel;
    const traffic = (changed: boolean, seed: number, startMs: number, idPrefix: string) =>
      classifierTraffic({
        modelId,
        modelVersion: 'v1',
        numericFeatures: 20,
        shift: changed && m === 2 ? 1 : 0,
        errorRate: changed && m === 1 ? 0.3 : 0.1,
        seed,
        startMs,
        stepMs,
        idPrefix,
      });
    const tag = warmUp ? 'w' : 't';
    const before = traffic(false, m + 1, startMs, `${tag}${m}a`);
    const after = traffic(true, m + 11, startMs + changeAt * stepMs, `${tag}${m}b`);
    for (let i = 0; i < perModel; i++) {
      const pair: SimulatedPair = (i < changeAt ? before : after).next().value!;
      const { inference, truth } = pair;
      const common = { id: inference.prediction_id, modelId, predictedAt: inference.timestamp };
      events.push({
        ...common,
        topic: 'inference',
        timestamp: inference.timestamp,
        message: { key: inference.prediction_id, value: encode('inference', inference) },
      });
      if (i % 10 !== 9)
        events.push({
          ...common,
          topic: 'truth',
          timestamp: truth.timestamp,
          message: { key: truth.prediction_id, value: encode('truth', truth) },
        });
    }
  });
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

import type { Message } from '../../core/src/kafka/client.ts';
import { DEAD_LETTER_HEADERS, toDeadLetter, type Rejected } from '../../core/src/kafka/dead-letter.ts';
import { encodeJoinExpiration } from '../../core/src/kafka/join-expiration.ts';
import type { Codecs } from '../../core/src/serde/codecs.ts';
import { encodeJoinerTask, JOINER_TASK_HEADER } from '../../core/src/serde/joiner-task-header.ts';
import { encodePreviousLabel, PREVIOUS_LABEL_HEADER } from '../../core/src/serde/previous-label-header.ts';
import type { JoinOutput } from './join-processor.ts';
import type { JoinerMetrics } from './joiner-metrics.ts';

export interface OutputMessages {
  joined: Message[];
  expired: Message[];
  deadLetters: Message[];
}

export interface OutputContext {
  codecs: Codecs;
  groundTruthTopic: string;
  deadLetterOrphans: boolean;
  now: number;
  /** The partition task joining, of `tasks`: named on every pair (JOINER_TASK_HEADER). */
  task: number;
  tasks: number;
}

/** Turns a batch's join outputs and rejected inputs into Kafka messages. Pure. */
export function toMessages(
  outputs: readonly JoinOutput[],
  rejected: readonly Rejected[],
  ctx: OutputContext,
): OutputMessages {
  const out: OutputMessages = {
    joined: [],
    expired: [],
    deadLetters: rejected.map((r) => toDeadLetter(r, ctx.now)),
  };
  const task = encodeJoinerTask(ctx.task, ctx.tasks);
  const plain = { [JOINER_TASK_HEADER]: task }; // one object for every pair that is no correction
  for (const o of outputs) {
    if (o.type === 'joined') {
      const headers =
        o.previousLabel === null
          ? plain
          : { [JOINER_TASK_HEADER]: task, [PREVIOUS_LABEL_HEADER]: encodePreviousLabel(o.previousLabel) };
      out.joined.push({ key: o.pair.model_id, value: ctx.codecs.joined.encode(o.pair), headers });
    } else if (o.type === 'expired') {
      out.expired.push({ key: o.expiration.prediction_id, value: encodeJoinExpiration(o.expiration) });
      if (o.source && ctx.deadLetterOrphans) out.deadLetters.push(orphanDeadLetter(o, ctx));
    }
  }
  return out;
}

function orphanDeadLetter(o: Extract<JoinOutput, { type: 'expired' }>, ctx: OutputContext): Message {
  const source = o.source!;
  const rejected: Rejected = {
    topic: ctx.groundTruthTopic,
    partition: source.partition,
    message: {
      key: Buffer.from(o.expiration.prediction_id),
      value: source.value,
      offset: source.offset,
      headers: {},
    } as Rejected['message'],
    reason: 'orphan_label',
    error: `no prediction ${o.expiration.prediction_id} arrived before the watermark passed ${new Date(o.expiration.expired_at).toISOString()}`,
  };
  return toDeadLetter(rejected, ctx.now);
}

/** Counts a batch's outputs in the joiner's metrics: one increment per label set and batch, not per output. */
export function countOutputs(outputs: readonly JoinOutput[], metrics: JoinerMetrics): void {
  const joined = new Map<string, number>();
  const corrections = new Map<string, number>();
  const expired = new Map<string, { model_id: string; kind: string; n: number }>();
  const duplicates = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const o of outputs) {
    if (o.type === 'joined') {
      const model = o.pair.model_id;
      if (o.pair.correction) add(corrections, model);
      else {
        add(joined, model);
        metrics.observeLabelDelay(model, (o.pair.labeled_at - o.pair.predicted_at) / 1000);
      }
    } else if (o.type === 'expired') {
      const { model_id, kind } = o.expiration;
      const key = `${kind}\u0000${model_id}`;
      const e = expired.get(key) ?? expired.set(key, { model_id, kind, n: 0 }).get(key)!;
      e.n += 1;
    } else {
      add(duplicates, o.of);
    }
  }
  for (const [model_id, n] of joined) metrics.joined.inc({ model_id }, n);
  for (const [model_id, n] of corrections) metrics.corrections.inc({ model_id }, n);
  for (const { model_id, kind, n } of expired.values()) metrics.expired.inc({ model_id, kind }, n);
  for (const [of, n] of duplicates) metrics.duplicates.inc({ of }, n);
}

/** Counts committed dead letters by the source topic and reason their headers carry. */
export function countDeadLetters(deadLetters: readonly Message[], metrics: JoinerMetrics): void {
  for (const m of deadLetters) {
    const header = (name: string) => m.headers?.[name]?.toString() ?? '';
    metrics.deadLetters.inc({
      topic: header(DEAD_LETTER_HEADERS.sourceTopic),
      reason: header(DEAD_LETTER_HEADERS.reason),
    });
  }
}

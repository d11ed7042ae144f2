import type { KafkaMessage, Message } from '../../core/src/kafka/client.ts';
import { describe } from '../../core/src/errors.ts';
import type { Rejected } from '../../core/src/kafka/dead-letter.ts';
import { crashPoint } from '../../core/src/crash-point.ts';
import {
  commitTransaction,
  topicPartitionKey,
  type ConsumedOffsets,
  type OutgoingRecords,
} from '../../core/src/kafka/transactional-batch.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { Codecs } from '../../core/src/serde/codecs.ts';
import { BatchOverlayStore } from '../../core/src/store/batch-overlay-store.ts';
import { ChangeLoggingStore } from '../../core/src/store/change-logging-store.ts';
import type { LevelDbStore } from '../../core/src/store/level-db-store.ts';
import { writeCheckpoint } from '../../core/src/store/checkpoint.ts';
import type { PartitionTask } from '../../core/src/streams/partition-task.ts';
import type { OpenedPartition } from '../../core/src/streams/task-opener.ts';
import { decodeInputs } from './decode-inputs.ts';
import type { JoinInput, JoinOutput, JoinProcessor } from './join-processor.ts';
import type { JoinState } from './join-state.ts';
import { clockOf, isLoggedKey, JoinStore, UNATTRIBUTED } from './join-store.ts';
import type { JoinerMetrics } from './joiner-metrics.ts';
import { countDeadLetters, countOutputs, toMessages } from './outputs.ts';
import { placeBatch, sideOfForward } from './reroute.ts';
import { ModelClocks } from './model-clocks.ts';
import { advance, type IdleTracker, type Side, type WatermarkState } from './watermark.ts';

export interface JoinerTopics {
  inference: string;
  groundTruth: string;
  joined: string;
  expirations: string;
  deadLetter: string;
  changelog: string;
  /** Records of the inputs forwarded to the partition the Java partitioner gives their key. */
  repartition: string;
}

export interface JoinTaskDeps extends OpenedPartition {
  /** Partitions of the (co-partitioned) inputs: where the Java partitioner puts a key. */
  partitions: number;
  topics: JoinerTopics;
  groupId: string;
  /** Opened and, when needed, restored from the changelog. Owned by the task from now on. */
  level: LevelDbStore;
  /** Where a clean close writes the changelog offset the store matches (its checkpoint). */
  checkpointFile: string;
  processor: JoinProcessor;
  codecs: Codecs;
  metrics: JoinerMetrics;
  idle: IdleTracker;
  expiryBatch: number;
  deadLetterOrphans: boolean;
  /** Event-time width of the expiry index buckets (restores must use the same). */
  expiryBucketMs: number;
  /** How far a model's clock may lag the partition's before it is pulled along. */
  maxClockSkewMs: number;
  logger: Logger;
}

/**
 * The joiner's partition task (core/src/streams): one partition number of the join (inference p + ground
 * truth p), its store stack (LevelDB → batch overlay → change logging → join store), its transactional
 * producer and its batch loop. Each batch is one Kafka
 * transaction holding the changelog records, the joined pairs, the expirations, the dead letters and the
 * consumed offset; the local store is written only after the commit, so it never holds aborted state.
 */
export class JoinTask implements PartitionTask {
  readonly partition: number;
  /** Set when a transaction failed: the local store may disagree with the changelog; reopen and restore. */
  broken = false;
  private readonly overlay: BatchOverlayStore;
  private readonly logging: ChangeLoggingStore;
  private readonly join: JoinStore;
  private changelogEnd: bigint | undefined;

  private constructor(private readonly d: JoinTaskDeps) {
    this.partition = d.partition;
    this.overlay = new BatchOverlayStore(d.level);
    this.logging = new ChangeLoggingStore(this.overlay, { isLogged: isLoggedKey });
    this.join = new JoinStore(this.logging, { bucketMs: d.expiryBucketMs });
    this.changelogEnd = d.changelogEnd;
  }

  static async open(deps: JoinTaskDeps): Promise<JoinTask> {
    const task = new JoinTask(deps);
    await task.join.load();
    task.updateGauges();
    return task;
  }

  /** The changelog offset the local store matches, for a clean-shutdown checkpoint (unknown if broken). */
  get checkpoint(): bigint | undefined {
    return this.broken ? undefined : this.changelogEnd;
  }

  /**
   * Joins one batch of one side and commits it, then expires what the new watermark made due.
   * @param ensureOwned runs before each transaction: throws when this instance may no longer own the partition
   *   (its staged writes are then forgotten, the local store is untouched and the task stays usable).
   * @throws the decode, ownership or transaction error; after a transaction error `broken` is set.
   */
  async processBatch(
    topic: string,
    messages: readonly KafkaMessage[],
    caughtUp: boolean,
    ensureOwned: () => Promise<void> = async () => {},
  ): Promise<void> {
    const repartitioned = topic === this.d.topics.repartition;
    const side: Side = topic === this.d.topics.inference ? 'predictions' : 'labels';
    const floor = this.d.floors.get(topic) ?? 0n;
    const fresh = messages.filter((m) => BigInt(m.offset) >= floor);
    if (!repartitioned) this.d.idle.onBatch(side, caughtUp);
    if (fresh.length === 0) return;
    const t = [performance.now()];
    const placed = repartitioned
      ? { local: fresh, forwards: [], misplaced: [] }
      : placeBatch(fresh, side, this.partition, this.d.partitions);
    const sideOf = repartitioned ? sideOfForward : () => side;
    const decode = (batch: KafkaMessage[]) =>
      decodeInputs(sideOf, topic, this.partition, batch, this.d.codecs, this.d.deadLetterOrphans);
    const { inputs, rejected } = await this.guard(() => decode(placed.local));
    // A partition's clocks follow the records read from its own input partitions, wherever they are joined:
    // a forwarded record moves the clocks of the partition it was read from (its decode errors are the
    // receiving partition's to report), and a record read from the repartition topic moves none. Were the
    // receiving partition's clocks moved instead, a far-ahead record forwarded to a partition still catching
    // up on its own input would jump its watermark and expire entries whose labels were still unread.
    const passing =
      placed.misplaced.length > 0 ? (await this.guard(() => decode(placed.misplaced))).inputs : [];
    t.push(performance.now());
    const first = await this.guard(() => this.step(inputs, passing, repartitioned));
    t.push(performance.now());
    const next = (BigInt(fresh[fresh.length - 1]!.offset) + 1n).toString();
    const partitions = [{ partition: this.partition, offset: next }];
    await this.commit(ensureOwned, first.outputs, rejected, placed.forwards, {
      consumerGroupId: this.d.groupId,
      topics: [{ topic, partitions }],
    });
    if (placed.forwards.length > 0) this.d.metrics.rerouted.inc({ topic }, placed.forwards.length);
    // kafkajs may fetch this batch again after a rebalance if it reads the group's offsets before the commit
    // markers landed (it has no KIP-447 require_stable); our own record of them is authoritative.
    this.d.floors.set(topic, BigInt(next));
    t.push(performance.now());
    const [decodeMs, joinMs, commitMs] = [1, 2, 3].map((i) => Math.round(t[i]! - t[i - 1]!));
    this.d.logger.debug(
      { partition: this.partition, topic, messages: fresh.length, decodeMs, joinMs, commitMs },
      'batch',
    );
    for (let more = first.more; more;) {
      const expiry = await this.guard(() => this.expireDue());
      await this.commit(ensureOwned, expiry.outputs, [], [], undefined);
      more = expiry.more;
    }
  }

  /**
   * Closes the producer and the local store; a clean close writes the checkpoint, so the next owner on this
   * machine keeps the store instead of replaying the changelog.
   */
  async close(clean: boolean): Promise<void> {
    for (const kind of ['prediction', 'label', 'joined'])
      this.d.metrics.pending.remove({ partition: String(this.partition), kind });
    this.d.metrics.watermark.remove({ partition: String(this.partition) });
    await this.d.producer.disconnect().catch(() => undefined);
    await this.d.level
      .close()
      .catch((e) => this.d.logger.warn({ partition: this.partition, error: describe(e) }, 'error closing'));
    const end = clean ? this.checkpoint : undefined;
    if (end !== undefined) await writeCheckpoint(this.d.checkpointFile, end);
  }

  /**
   * Joins `inputs`, then moves the clocks, the partition's and its models', by the event times of the records
   * read from this partition's own inputs (`inputs` unless `repartitioned`, and `passing`). A record read from
   * the repartition topic moves no clock, but a label it joined is attributed to its model here.
   */
  private async step(
    inputs: JoinInput[],
    passing: JoinInput[],
    repartitioned: boolean,
  ): Promise<{ outputs: JoinOutput[]; more: boolean }> {
    const states = await this.join.states([...new Set(inputs.map((i) => i.event.prediction_id))]);
    const marks = this.join.watermarks();
    // A model first seen in this batch has no clock yet: labels that name no model may be its, so they wait.
    const known = this.join.meta.models;
    const named = (i: JoinInput) => (i.kind === 'prediction' ? i.event.model_id : i.event.model_id);
    if (inputs.some((i) => named(i) && !Object.hasOwn(known, named(i)!))) marks.set(UNATTRIBUTED, -Infinity);
    const watermarkOf = (next: JoinState) => marks.get(clockOf(next)) ?? -Infinity;
    // The partition's largest event time per side, raised in place (a copy per record was measurable).
    const { predictions: p0, labels: l0, watermark: w0 } = this.join.meta;
    const progress: WatermarkState = { predictions: p0, labels: l0, watermark: w0 };
    const see = ({ kind, event }: JoinInput) => {
      const side: Side = kind === 'prediction' ? 'predictions' : 'labels';
      if (event.timestamp > progress[side]) progress[side] = event.timestamp;
    };
    const clocks = new ModelClocks(this.join.meta.models);
    const outputs: JoinOutput[] = [];
    for (const input of inputs) {
      const id = input.event.prediction_id;
      const before = states.get(id);
      const step = this.d.processor.process(input, before, watermarkOf);
      this.join.stage(id, before, step.next);
      if (step.next === null) states.delete(id);
      else if (step.next) states.set(id, step.next);
      outputs.push(...step.outputs);
      if (repartitioned) {
        clocks.attributeJoins(step.outputs);
        continue;
      }
      see(input);
      clocks.observe(input, step.outputs);
    }
    for (const input of passing) {
      see(input);
      clocks.observe(input, []);
    }
    const idle = this.d.idle.idle();
    const { predictions, labels, watermark } = advance(progress, idle);
    this.join.watermark = { predictions, labels, watermark };
    this.join.models = clocks.advance({ predictions, labels, watermark }, idle, this.d.maxClockSkewMs);
    await this.join.writeStaged();
    const expiry = await this.expireDue();
    return { outputs: [...outputs, ...expiry.outputs], more: expiry.more };
  }

  private async expireDue(): Promise<{ outputs: JoinOutput[]; more: boolean }> {
    const due = await this.join.due(this.join.watermarks(), this.d.expiryBatch);
    const outputs: JoinOutput[] = [];
    for (const { id, state } of due.entries) {
      outputs.push(...this.d.processor.expire(id, state));
      this.join.stage(id, state, null);
    }
    await this.join.writeStaged();
    return { outputs, more: due.more };
  }

  private async commit(
    ensureOwned: () => Promise<void>,
    outputs: JoinOutput[],
    rejected: Rejected[],
    forwards: Message[],
    consumed: ConsumedOffsets | undefined,
  ): Promise<void> {
    // Fencing refuses a zombie's commit anyway; asking first lets a rebalance stop the batch before it is sent.
    await this.guard(ensureOwned);
    const t = this.d.topics;
    const m = toMessages(outputs, rejected, {
      codecs: this.d.codecs,
      groundTruthTopic: t.groundTruth,
      deadLetterOrphans: this.d.deadLetterOrphans,
      now: Date.now(),
      task: this.partition,
      tasks: this.d.partitions,
    });
    const changelog: Message[] = this.logging
      .drain()
      .map((r) => ({ key: r.key, value: r.value, partition: this.partition }));
    const records: OutgoingRecords[] = [
      { topic: t.changelog, messages: changelog },
      { topic: t.joined, messages: m.joined },
      { topic: t.expirations, messages: m.expired },
      { topic: t.deadLetter, messages: m.deadLetters },
      { topic: t.repartition, messages: forwards },
    ].filter((r) => r.messages.length > 0);
    try {
      const last = await commitTransaction(this.d.producer, this.d.transactionalId, records, consumed);
      // Ours are the only writes to this changelog partition; the commit marker follows them.
      const ours = last.get(topicPartitionKey(t.changelog, this.partition));
      if (changelog.length > 0) this.changelogEnd = ours === undefined ? undefined : ours + 2n;
    } catch (error) {
      this.broken = true;
      this.overlay.discard();
      throw error;
    }
    // Committed in Kafka, not yet in the local store: a crash here must be repaired by the restore.
    crashPoint('after-effect-before-commit');
    await this.overlay.flush();
    countOutputs(outputs, this.d.metrics);
    countDeadLetters(m.deadLetters, this.d.metrics);
    this.updateGauges();
  }

  /** Runs a step that may fail before anything was sent: forgets its staged writes on failure. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      this.overlay.discard();
      this.logging.discard();
      await this.join.load();
      throw error;
    }
  }

  private updateGauges(): void {
    const p = String(this.partition);
    const { counts, watermark } = this.join.meta;
    for (const [kind, n] of Object.entries(counts)) this.d.metrics.pending.set({ partition: p, kind }, n);
    if (Number.isFinite(watermark)) this.d.metrics.watermark.set({ partition: p }, watermark / 1000);
  }
}

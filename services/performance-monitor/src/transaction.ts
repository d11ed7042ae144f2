import type { Message, Producer } from '../../core/src/kafka/client.ts';
import { crashPoint } from '../../core/src/crash-point.ts';
import { toDeadLetter, type Rejected } from '../../core/src/kafka/dead-letter.ts';
import type { ChangelogEntry } from './window-state-store.ts';

/** kafkajs CompressionTypes.GZIP, by value, so only core/kafka imports kafkajs. */
const GZIP = 1;
/** Under the broker's default 1 MB record-batch limit, counted before compression. */
const MAX_SEND_BYTES = 512 * 1024;

export interface CommitRequest {
  producer: Producer;
  groupId: string;
  source: { topic: string; partition: number };
  /** The offset the consumer group resumes from: last processed + 1. */
  nextOffset: string;
  changelogTopic: string;
  changelog: readonly ChangelogEntry[];
  deadLetterTopic: string;
  rejected: readonly Rejected[];
}

/**
 * One Kafka transaction: the batch's changelog records (to the changelog partition numbered like the source
 * partition), its dead letters and the consumer offset commit. Either all of it becomes visible to
 * read_committed readers, or none: the state, the dead letters and the position never disagree.
 * @throws the kafkajs error after aborting (a fenced producer means another instance owns the partition).
 */
export async function commitBatch(r: CommitRequest): Promise<number> {
  const txn = await r.producer.transaction();
  let bytes = 0;
  try {
    for (const chunk of chunks(r.changelog)) {
      const messages: Message[] = chunk.map((e) => ({
        key: e.key,
        value: e.value,
        partition: r.source.partition,
      }));
      bytes += chunk.reduce((s, e) => s + e.key.length + (e.value?.length ?? 0), 0);
      await txn.send({ topic: r.changelogTopic, compression: GZIP, messages });
    }
    if (r.rejected.length > 0) {
      const now = Date.now();
      await txn.send({ topic: r.deadLetterTopic, messages: r.rejected.map((x) => toDeadLetter(x, now)) });
    }
    crashPoint('after-produce-before-commit');
    await txn.sendOffsets({
      consumerGroupId: r.groupId,
      topics: [
        { topic: r.source.topic, partitions: [{ partition: r.source.partition, offset: r.nextOffset }] },
      ],
    });
    await txn.commit();
    return bytes;
  } catch (error) {
    await txn.abort().catch(() => undefined);
    throw error;
  }
}

/** Splits records into sends of at most MAX_SEND_BYTES (a single larger record goes alone). */
function* chunks(entries: readonly ChangelogEntry[]): Generator<ChangelogEntry[]> {
  let chunk: ChangelogEntry[] = [];
  let size = 0;
  for (const e of entries) {
    const bytes = e.key.length + (e.value?.length ?? 0);
    if (chunk.length > 0 && size + bytes > MAX_SEND_BYTES) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    chunk.push(e);
    size += bytes;
  }
  if (chunk.length > 0) yield chunk;
}

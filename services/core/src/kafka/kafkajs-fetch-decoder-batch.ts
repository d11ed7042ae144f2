/**
 * kafkajs 2.2.4's consumer Batch (consumer/batch.js), which the consumer builds from every fetched partition,
 * drops the records before the fetched offset by parsing each record's offset string into a BigInt inside a new
 * Long object: after the record decoder (kafkajs-fetch-decoder.ts), the largest per-record cost left in kafkajs'
 * fetch path. Offsets in canonical decimal (what the decoders write) compare here as strings, by length and then
 * character by character; any other form goes through kafkajs' Long as before. The batch is otherwise built as
 * kafkajs builds it (same fields in the same order, kafkajs' own methods on its prototype, the read_committed
 * filter kafkajs loads), so nothing downstream can tell. kafkajs-patches.ts installs it.
 */

interface Offsetted {
  offset: unknown;
  isControlRecord?: boolean;
}

interface PartitionData {
  partition: number;
  highWatermark: string;
  abortedTransactions?: unknown[];
  messages: Offsetted[];
}

interface LongValue {
  gte: (other: LongValue) => boolean;
}

/** kafkajs' Long, as consumer/batch.js uses it. */
export interface LongClass {
  fromValue: (value: unknown) => LongValue;
}

/** kafkajs' read_committed filter (ours, kafkajs-read-committed-fix.ts, where the patches are loaded). */
export type AbortedFilter = (args: { messages: Offsetted[]; abortedTransactions?: unknown[] }) => Offsetted[];

/** kafkajs' Batch constructor. */
export type BatchClass = new (topic: string, fetchedOffset: unknown, partitionData: PartitionData) => object;

/** Is `s` a non-negative integer in canonical decimal: digits only, no leading zero? Pure. */
export function isCanonicalDecimal(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const first = s.charCodeAt(0);
  if (first === 48) return n === 1; // "0"
  if (first < 49 || first > 57) return false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** a >= b for canonical decimals: the longer is larger; of equal length, the later in character order. Pure. */
function atLeast(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a >= b;
}

/** The records at or after `fetchedOffset`, as kafkajs' Batch decides it. */
export function recordsFrom<T extends Offsetted>(
  records: readonly T[],
  fetchedOffset: unknown,
  Long: LongClass,
): T[] {
  // kafkajs reads the fetched offset first, whatever the records: the same error for a value it cannot read.
  const fetchedLong = Long.fromValue(fetchedOffset);
  const fetched =
    typeof fetchedOffset === 'string' && isCanonicalDecimal(fetchedOffset) ? fetchedOffset : undefined;
  return records.filter((record) => {
    const offset = record.offset;
    if (fetched !== undefined && typeof offset === 'string' && isCanonicalDecimal(offset)) {
      return atLeast(offset, fetched);
    }
    return Long.fromValue(offset).gte(fetchedLong);
  });
}

/** A Batch constructor building what `Original` builds, on `Original`'s prototype (its methods, instanceof). */
export function batchWithStringOffsets(
  Original: BatchClass,
  Long: LongClass,
  filterAborted: AbortedFilter,
): BatchClass {
  function Batch(
    this: Record<string, unknown>,
    topic: string,
    fetchedOffset: unknown,
    partitionData: PartitionData,
  ): void {
    // Fields in kafkajs' order: objects of one shape for everything downstream.
    this.fetchedOffset = fetchedOffset;
    const { abortedTransactions, messages } = partitionData;
    this.topic = topic;
    this.partition = partitionData.partition;
    this.highWatermark = partitionData.highWatermark;
    this.rawMessages = messages;
    const within = recordsFrom(messages, fetchedOffset, Long);
    this.messagesWithinOffset = within;
    // Aborted transactions' records and control records are not handed on (kafkajs' order of the two filters).
    this.messages = filterAborted({ messages: within, abortedTransactions }).filter(
      (m) => !m.isControlRecord,
    );
  }
  Batch.prototype = Original.prototype;
  return Batch as unknown as BatchClass;
}

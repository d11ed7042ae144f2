/**
 * Fixes kafkajs 2.2.4's read_committed filtering, which lets records of aborted transactions through when
 * transactions of several producers interleave in one partition. The broker lists a fetch's aborted
 * transactions in abort order, not first-offset order (the Java client sorts them: apache/kafka PR #2840,
 * confluentinc/kafka PR #145); kafkajs takes the list as sorted and consults one entry per record, so a later
 * listed transaction that started earlier is noticed too late and its first records pass as committed. Several
 * transactional producers (one per joiner partition) writing one joined-topic partition, plus one crash, is
 * enough. kafkajs also treats any record whose key is four zero bytes as an abort marker.
 *
 * kafkajs-patches.ts puts `filterAbortedMessages` into the require cache where kafkajs' `consumer/batch.js`
 * loads it from.
 */

interface FetchedRecord {
  offset: string;
  key?: Buffer | null;
  isControlRecord?: boolean;
  batchContext: { producerId: string; inTransaction: boolean };
}

interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

/** Control record key of an abort marker: version 0, type 0 (ABORT). */
const ABORT_KEY = Buffer.from([0, 0, 0, 0]);

/**
 * The records of a fetched partition that belong to no aborted transaction, as the Java consumer decides it:
 * aborted transactions ordered by first offset; a producer is "aborting" from its transaction's first offset to
 * its abort marker; its transactional records in between are dropped. Control records are dropped by the caller.
 * Pure.
 */
export function filterAbortedRecords<T extends FetchedRecord>(
  records: readonly T[],
  abortedTransactions: readonly AbortedTransaction[] = [],
): T[] {
  if (abortedTransactions.length === 0) return [...records];
  const queue = [...abortedTransactions].sort((a, b) => compare(a.firstOffset, b.firstOffset));
  const aborting = new Set<string>();
  let next = 0;
  return records.filter((r) => {
    while (next < queue.length && compare(r.offset, queue[next]!.firstOffset) >= 0) {
      aborting.add(queue[next]!.producerId);
      next += 1;
    }
    const { producerId, inTransaction } = r.batchContext;
    if (r.isControlRecord && r.key && Buffer.from(r.key).equals(ABORT_KEY)) {
      aborting.delete(producerId);
      return true;
    }
    return !(inTransaction && aborting.has(producerId));
  });
}

function compare(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** kafkajs' calling convention: `filterAbortedMessages({ messages, abortedTransactions })`. */
export function filterAbortedMessages({
  messages,
  abortedTransactions,
}: {
  messages: FetchedRecord[];
  abortedTransactions?: AbortedTransaction[];
}) {
  return filterAbortedRecords(messages, abortedTransactions);
}

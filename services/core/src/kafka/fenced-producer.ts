import type { Kafka, Producer } from './client.ts';
import { JavaPartitioner } from './java-partition.ts';

export interface FencedProducerOptions {
  /** One id per unit of state (Kafka Streams' exactly_once: one per task), so a newcomer fences a zombie. */
  transactionalId: string;
  /** How long an open transaction of a crashed producer may hold back read_committed readers. */
  transactionTimeoutMs: number;
}

/**
 * Opens the transactional producer of one unit of state and fences every older producer with the same id
 * before returning: the transactional InitProducerId bumps the id's epoch, so the older producer's sends and
 * commits are refused from now on, and the coordinator aborts (or finishes) its open transaction first. Only
 * then may the caller read the state that producer wrote (changelog ends, committed offsets).
 *
 * Fencing is explicit because kafkajs 2.2.4 does not fence in `connect()`: it sends the transactional
 * InitProducerId with the first `transaction()` only. Until then a paused older instance could still commit,
 * after the newcomer had read the state. Beginning and aborting an empty transaction sends InitProducerId and
 * nothing else (kafkajs sends no EndTxn for a transaction without partitions).
 * @throws the kafkajs error when the coordinator cannot be reached (retriable) or the id is not allowed.
 */
export async function openFencedProducer(kafka: Kafka, options: FencedProducerOptions): Promise<Producer> {
  const producer = kafka.producer({
    transactionalId: options.transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: options.transactionTimeoutMs,
    // Java-compatible murmur2 partitioning of keys, like every other client (kafkajs' DefaultPartitioner's
    // choices, without its 64-bit arithmetic and its per-message filtering of the partition list).
    createPartitioner: JavaPartitioner,
    // Right after a commit the coordinator still writes its markers and answers CONCURRENT_TRANSACTIONS;
    // kafkajs' default back-off (hundreds of ms) would cost that much per batch. The Java client retries fast.
    // Unbounded retries of retriable errors, as the Java producer; fencing and other fatal errors still fail
    // at once, and a failed transaction is aborted as a whole, so giving up never duplicates anything.
    retry: { initialRetryTime: 10, maxRetryTime: 1000, retries: Number.MAX_SAFE_INTEGER },
  });
  try {
    await producer.connect();
    await (await producer.transaction()).abort();
    return producer;
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw error;
  }
}

/**
 * Kafka's answer to a producer whose transactional id a newer producer took over, by kafkajs type or by its
 * message (kafkajs' non-retriable wrapper keeps the message only). Brokers answer the request versions kafkajs
 * speaks with INVALID_PRODUCER_EPOCH rather than PRODUCER_FENCED (KIP-588). The same answer follows a
 * transaction the broker aborted after its timeout: callers rejoin their group rather than assume a zombie.
 */
const FENCED = /INVALID_PRODUCER_EPOCH|PRODUCER_FENCED|operation with an old epoch|fences the current one/i;

/**
 * Whether an error (or any error it wraps: `cause`, kafkajs' aggregated `errors`) says another producer took
 * over this transactional id. Such a producer can never commit again: its unit of state belongs to another
 * instance now, and retrying or reopening it would fence that instance in turn.
 */
export function isFencedError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 8) return false;
  const e = error as Error & { type?: string; errors?: unknown[] };
  if (FENCED.test(`${e.name} ${e.type ?? ''} ${e.message}`)) return true;
  if (e.errors?.some((inner) => isFencedError(inner, depth + 1))) return true;
  return isFencedError(e.cause, depth + 1);
}

/**
 * Which Kafka errors a retry can cure. kafkajs marks its protocol errors, but gives up on some of them at once
 * (its admin and metadata calls "bail" on a missing leader or an unknown topic-partition) and wraps others
 * (retries exhausted, aggregates), so a start-up on a brand-new cluster could die of a topic created a moment
 * before: "This server does not host this topic-partition". Here the whole chain decides.
 */
import { DriftlineError } from '../errors.ts';

/**
 * Broker answers that mean "not yet": metadata of a just-created topic, leadership moving, a coordinator still
 * loading its log, a group rebalancing, a request that timed out. Kafka's own names (kafkajs' `type`).
 */
export const TRANSIENT_KAFKA_ERRORS: ReadonlySet<string> = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'PREFERRED_LEADER_NOT_AVAILABLE',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'REPLICA_NOT_AVAILABLE',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'GROUP_LOAD_IN_PROGRESS',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'REBALANCE_IN_PROGRESS',
  'CONCURRENT_TRANSACTIONS',
  'NOT_CONTROLLER',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'KAFKA_STORAGE_ERROR',
  'OFFSET_NOT_AVAILABLE',
  'THROTTLING_QUOTA_EXCEEDED',
]);

/** kafkajs errors about connections, time-outs and metadata not loaded yet: a later attempt can succeed. */
const TRANSIENT_CLIENT_ERRORS: ReadonlySet<string> = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
]);

/** Socket errors of Node: the broker is away for now. */
const TRANSIENT_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

interface ErrorFields {
  name?: string;
  type?: string;
  code?: unknown;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown[];
}

/** The errors one level below: `cause`, kafkajs' `originalError`, an aggregate's `errors`. */
function causes(e: ErrorFields): unknown[] {
  return [e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])].filter(
    (c) => c !== undefined && c !== null && c !== e,
  );
}

/** Is this one link transient, as far as it tells? undefined: it does not say; look at its causes. */
function linkVerdict(e: ErrorFields): boolean | undefined {
  if (e instanceof DriftlineError) return e.retriable; // our own decision wins
  if (e.type !== undefined && TRANSIENT_KAFKA_ERRORS.has(e.type)) return true;
  if (e.name !== undefined && TRANSIENT_CLIENT_ERRORS.has(e.name)) return true;
  if (typeof e.code === 'string' && TRANSIENT_SOCKET_CODES.has(e.code)) return true;
  if (e.type !== undefined) return e.retriable === true; // another protocol error: Kafka's own flag
  return undefined;
}

/**
 * Can retrying the Kafka operation that threw `error` succeed? Follows the chain (causes, kafkajs'
 * originalError, an aggregate's errors; retries exhausted count as their cause) to the first link that says;
 * a chain where none says is not retriable (a programming error, an invalid argument).
 * @example isRetriableKafkaError(new KafkaJSNumberOfRetriesExceeded(unknownTopicOrPartition)) === true
 */
export function isRetriableKafkaError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const e = error as ErrorFields;
  const verdict = linkVerdict(e);
  if (verdict !== undefined) return verdict;
  return causes(e).some((c) => isRetriableKafkaError(c, depth + 1));
}

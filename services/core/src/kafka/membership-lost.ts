import { DriftlineError } from '../errors.ts';

/**
 * Broker answers to an offset commit that mean this member no longer owns its partitions: it was removed from
 * the group (it missed its session timeout: a long GC pause, a starved CPU, a frozen VM) or the group moved to
 * a new generation without it. Kafka's names (kafkajs' `type`).
 */
const LOST_MEMBERSHIP_TYPES: ReadonlySet<string> = new Set([
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'REBALANCE_IN_PROGRESS',
  'FENCED_INSTANCE_ID',
]);

interface ErrorLink {
  type?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/**
 * The link of `error`'s chain (causes, kafkajs' `originalError`) that says the member lost its partitions, or
 * undefined. kafkajs wraps the broker's answer in KafkaJSNonRetriableError or KafkaJSNumberOfRetriesExceeded,
 * which its consumer takes as fatal: the process would exit over an ordinary rebalance. Pure.
 */
export function lostMembership(error: unknown, depth = 0): ErrorLink | undefined {
  if (typeof error !== 'object' || error === null || depth > 8) return undefined;
  const link = error as ErrorLink;
  if (typeof link.type === 'string' && LOST_MEMBERSHIP_TYPES.has(link.type)) return link;
  for (const next of [link.cause, link.originalError]) {
    if (next === error) continue;
    const found = lostMembership(next, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The member's offsets were refused because the group went on without it (lostMembership). Thrown from a
 * kafkajs batch handler it makes kafkajs rejoin instead of crashing: its runner rejoins on an error of type
 * REBALANCE_IN_PROGRESS (and the join itself starts over as a new member when the old one is unknown). The
 * uncommitted batch is read again by whichever member owns its partition now; effects are idempotent.
 */
export class MembershipLostError extends DriftlineError {
  /** Read by kafkajs' `isRebalancing`. */
  readonly type = 'REBALANCE_IN_PROGRESS';
  constructor(
    readonly topic: string,
    readonly partition: number,
    cause: unknown,
  ) {
    super(
      `${topic}[${partition}]: offsets refused, this member lost its partitions (paused past the session timeout?); rejoining the group`,
      { retriable: true, cause },
    );
  }
}

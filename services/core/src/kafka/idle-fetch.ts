/**
 * Long polls for idle consumers. A service's consumer fetches with DRIFTLINE_KAFKA_FETCH_MIN_BYTES (1 MB) and
 * DRIFTLINE_KAFKA_FETCH_MAX_WAIT_MS (200 ms), so that under load its batches, transactions and inserts are
 * large. With no traffic the broker then answers every fetch empty after 200 ms: five requests a second per
 * consumer for the life of the service, most of what an idle pipeline costs (bench/idle.ts), and a record that
 * comes after a lull still waits out the rest of the 200 ms before the broker answers.
 *
 * So after a fetch that brought no record the next one asks the broker to answer at the first byte and to hold
 * the request up to DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS: an idle consumer asks about once a second, and a
 * record after a lull is answered as soon as it is written. The first fetch that brings records switches back,
 * so a busy stream is batched as before. A fetch that already answers at the first byte (minBytes 1, as a
 * changelog restore asks) or already waits as long is sent as asked. What it costs: a consumer being stopped
 * while idle waits for its fetch to come back, up to the idle wait.
 */

/** What a fetch asks the broker to wait for: bytes, and at most this many ms. */
export interface FetchWait {
  minBytes: number;
  maxWaitTime: number;
}

/** The part of kafkajs' decoded Fetch response read here. */
export interface FetchResponseRecords {
  responses?: readonly { partitions?: readonly { messages?: readonly unknown[] }[] }[];
}

/**
 * Where the process's idle wait is kept (ms; 0 or absent: off, every fetch as asked). Not a variable of this
 * module: the patch of kafkajs lives in Node's require cache, which outlives this module where a test runner
 * loads our modules afresh for each file in one process, so every copy of this module must see the same value.
 */
const IDLE_WAIT_MS = Symbol.for('driftline.kafka.idleFetchWaitMs');
type WithIdleWait = typeof globalThis & { [IDLE_WAIT_MS]?: number };

/** Sets the process's idle wait; createKafka sets it from DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS. */
export function setIdleFetchWait(ms: number): void {
  (globalThis as WithIdleWait)[IDLE_WAIT_MS] = ms;
}

/** The wait of the next fetch, given the consumer's own and whether its last fetch brought records. Pure. */
export function fetchWait(asked: FetchWait, lastHadRecords: boolean, idleMs: number): FetchWait {
  if (lastHadRecords || asked.minBytes <= 1 || idleMs <= asked.maxWaitTime) return asked;
  return { minBytes: 1, maxWaitTime: idleMs };
}

/** Whether any partition of a Fetch response holds a record (a control or aborted one counts). Pure. */
export function hadRecords(response: FetchResponseRecords): boolean {
  for (const topic of response.responses ?? [])
    for (const partition of topic.partitions ?? []) if ((partition.messages?.length ?? 0) > 0) return true;
  return false;
}

type BrokerFetch<A extends FetchWait, R extends FetchResponseRecords> = (this: object, args: A) => Promise<R>;

/** Whether a broker connection's last fetch came back without records (absent: it brought some, or none was sent). */
const lastFetchWasEmpty = new WeakMap<object, boolean>();

/**
 * kafkajs' Broker#fetch, each fetch's wait chosen by `fetchWait` from the broker connection's last answer. A
 * consumer has a Broker object per node and one fetch in flight to each, so the state is kept per object.
 */
export function longPollWhenIdle<A extends FetchWait, R extends FetchResponseRecords>(
  fetch: BrokerFetch<A, R>,
): BrokerFetch<A, R> {
  return async function (this: object, args: A): Promise<R> {
    const idleMs = (globalThis as WithIdleWait)[IDLE_WAIT_MS] ?? 0;
    const wait = fetchWait(args, lastFetchWasEmpty.get(this) !== true, idleMs);
    const response = await fetch.call(this, wait === args ? args : { ...args, ...wait });
    lastFetchWasEmpty.set(this, !hadRecords(response));
    return response;
  };
}

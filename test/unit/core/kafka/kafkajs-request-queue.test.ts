import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../../../../services/core/src/kafka/kafkajs-patches.ts';

const require = createRequire(import.meta.url);

interface Queue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  throttledUntil: number;
  push: (r: unknown) => void;
  fulfillRequest: (r: { correlationId: number; payload: Buffer; size: number }) => void;
  checkPendingRequests: () => void;
  maybeThrottle: (ms: number) => void;
}
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (o: unknown) => Queue;
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A queue of kafkajs' own, one request in flight at most, and the correlation ids it has sent. */
function queue(): { q: Queue; sent: number[]; push: (id: number) => void } {
  const q = new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30_000,
    clientId: 't',
    broker: 'b',
    logger: silent,
  });
  const sent: number[] = [];
  const push = (id: number) =>
    q.push({
      entry: {
        correlationId: id,
        apiKey: 1,
        apiName: 'Fetch',
        apiVersion: 11,
        resolve: () => {},
        reject: () => {},
      },
      expectResponse: true,
      sendRequest: () => sent.push(id),
    });
  return { q, sent, push };
}

describe("kafkajs' request queue, patched", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shouldArmNoTimerWhenNothingWaitsToBeSent', () => {
    const { q, sent, push } = queue();
    push(1);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    q.checkPendingRequests();
    expect(sent).toEqual([1]);
    // kafkajs 2.2.4 re-armed a timer here every millisecond for ever.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shouldSendAQueuedRequestWhenTheOneInFlightIsAnswered', () => {
    const { q, sent, push } = queue();
    push(1);
    push(2);
    expect(sent).toEqual([1]);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1, 2]);
  });

  it('shouldSendAQueuedRequestWhenTheBrokersThrottleTimeHasPassed', () => {
    const { q, sent, push } = queue();
    q.maybeThrottle(50);
    push(1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(49);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(2);
    expect(sent).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

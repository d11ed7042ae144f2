/**
 * Our corrections to kafkajs 2.2.4, put into the require cache before kafkajs loads (client.ts imports this
 * first): the read_committed filter (kafkajs-read-committed-fix.ts), the Produce request encoder
 * (kafkajs-produce-encoder.ts) and a linear grouping of outgoing messages by partition (kafkajs copies the
 * partition's array for every message, quadratic in the batch), the Fetch response's record-batch decoder
 * (kafkajs-fetch-decoder.ts, falling back to kafkajs' own), the consumer's Batch without a BigInt per record
 * (kafkajs-fetch-decoder-batch.ts) and, around the record-batch decoder, one that hands on a stand-in record
 * for a batch it cannot decode instead of failing every fetch at that offset (undecodable-batch.ts), and a
 * connection's queue of waiting requests checked only while one waits (scheduleCheckPendingRequests below),
 * and a long poll for a consumer whose last fetch brought nothing (idle-fetch.ts). Each keeps kafkajs' calling
 * convention.
 * @throws DriftlineError if kafkajs was loaded already; KafkajsVersionError if it is not the patched release
 */
import { createRequire, Module } from 'node:module';
import { DriftlineError } from '../errors.ts';
import {
  batchWithStringOffsets,
  type AbortedFilter,
  type BatchClass,
  type LongClass,
} from './kafkajs-fetch-decoder-batch.ts';
import {
  recordBatchDecoder,
  type CodecLookup,
  type FetchDecoder,
  type RecordBatchDecoder,
} from './kafkajs-fetch-decoder.ts';
import { encodeProduceRequest, type ProduceRequestArgs } from './kafkajs-produce-encoder.ts';
import { filterAbortedMessages } from './kafkajs-read-committed-fix.ts';
import { longPollWhenIdle, type FetchResponseRecords, type FetchWait } from './idle-fetch.ts';
import { assertPatchedKafkajs, installedKafkajsVersion } from './kafkajs-version.ts';
import { knownCodec, standInBatch } from './undecodable-batch.ts';

const require = createRequire(import.meta.url);
const PATCHED = Symbol.for('driftline.kafkajs.patched');

type Patched = ((...args: never[]) => unknown) & { [PATCHED]?: true };

// Before any patch: a patch written for another release could corrupt reads without a single error.
assertPatchedKafkajs(installedKafkajsVersion());

/** Replaces the exports of kafkajs' module `file`, which `loadedBy` (also kafkajs') must not have loaded yet. */
function replaceModule(file: string, loadedBy: string, make: (original: () => unknown) => Patched): void {
  const target = require.resolve(`kafkajs/src/${file}`);
  if ((require.cache[target]?.exports as Patched | undefined)?.[PATCHED]) return;
  if (require.cache[require.resolve(`kafkajs/src/${loadedBy}`)]) {
    throw new DriftlineError(
      `kafkajs was loaded before its patch of ${file}: import kafkajs-patches.ts first`,
    );
  }
  const patched = make(() => require(target) as unknown);
  patched[PATCHED] = true;
  const entry = new Module(target);
  entry.filename = target;
  entry.loaded = true;
  entry.exports = patched;
  require.cache[target] = entry;
}

replaceModule('consumer/filterAbortedMessages.js', 'consumer/batch.js', () => filterAbortedMessages);

replaceModule('consumer/batch.js', 'consumer/consumerGroup.js', (load) => {
  // kafkajs' own Batch, loaded under our entry's path before we take it over: ours shares its prototype.
  const original = load() as BatchClass;
  const Long = require('kafkajs/src/utils/long.js') as LongClass;
  const batch = batchWithStringOffsets(original, Long, filterAbortedMessages as unknown as AbortedFilter);
  // Kept for the test that compares the two.
  return Object.assign(batch, { original }) as unknown as Patched;
});

interface Request {
  encode: () => Promise<unknown>;
}
type Encoder = { buf: Buffer; offset: number };

replaceModule(
  'protocol/requests/produce/v3/request.js',
  'protocol/requests/produce/v4/request.js',
  (load) => {
    // The original module, loaded under our entry's path before we take it over.
    const original = load() as (args: ProduceRequestArgs) => Request;
    const EncoderClass = require('kafkajs/src/protocol/encoder.js') as new (size: number) => Encoder;
    const produce = (args: ProduceRequestArgs) => {
      const request = original(args);
      return {
        ...request,
        encode: async () => {
          const body = encodeProduceRequest(args);
          if (body === undefined) return request.encode();
          const encoder = new EncoderClass(0);
          encoder.buf = body;
          encoder.offset = body.length;
          return encoder;
        },
      };
    };
    // Kept for the test that compares the two encoders byte for byte.
    return Object.assign(produce, { original });
  },
);

interface GroupArgs {
  topic: string;
  partitionMetadata: unknown[];
  messages: unknown[];
  partitioner: (a: { topic: string; partitionMetadata: unknown[]; message: unknown }) => number;
}

replaceModule('producer/groupMessagesPerPartition.js', 'producer/sendMessages.js', () => {
  return ({ topic, partitionMetadata, messages, partitioner }: GroupArgs) => {
    const result: Record<number, unknown[]> = {};
    if (partitionMetadata.length === 0) return result;
    for (const message of messages) {
      const partition = partitioner({ topic, partitionMetadata, message });
      (result[partition] ??= []).push(message);
    }
    return result;
  };
});

/** Hands on a stand-in record for a batch `decode` fails on (undecodable-batch.ts). */
function standingIn(decode: RecordBatchDecoder) {
  return async (decoder: FetchDecoder) => {
    const start = decoder.offset;
    try {
      const decoded = await decode(decoder);
      // kafkajs reads a codec id Kafka does not define (5-7) as no compression: garbage or a later error.
      if (!knownCodec(decoder.buffer, start)) throw new Error('codec id not defined by Kafka');
      return decoded;
    } catch (error) {
      // A partial batch at the end of a fetch is normal (kafkajs stops there); one the decoder did not step
      // past cannot be stood in for without reading it again and again.
      if ((error as Error).name === 'KafkaJSPartialMessageError' || decoder.offset === start) throw error;
      const standIn = standInBatch(decoder.buffer, start, error);
      if (standIn === undefined) throw error;
      return standIn;
    }
  };
}

replaceModule(
  'protocol/recordBatch/v0/decoder.js',
  'protocol/requests/fetch/v4/decodeMessages.js',
  (load) => {
    // kafkajs' own decoder, loaded under our entry's path before we take it over: ours falls back to it.
    const original = load() as RecordBatchDecoder;
    const { lookupCodecByAttributes } = require('kafkajs/src/protocol/message/compression/index.js') as {
      lookupCodecByAttributes: CodecLookup;
    };
    // Kept for the tests and the benchmark that compare the two decoders.
    return Object.assign(standingIn(recordBatchDecoder(lookupCodecByAttributes, original)), { original });
  },
);

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests: () => void;
}

/** kafkajs' wait before it looks at queued requests again when no throttle time says otherwise. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4 checks each connection's queue of requests waiting to be sent on a timer that, with nothing
 * queued and no throttling, is set to a negative delay and re-arms itself from its own callback: a timer every
 * millisecond per broker connection for the life of the client (kafkajs issues #1556 and #1704, fix proposed
 * in pull request #1667, never released). Here the check is scheduled only while a request waits: a request
 * that cannot be sent at once is queued by `push`, which schedules it, and every response checks the queue.
 */
export function scheduleCheckPendingRequests(this: RequestQueue): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

const requestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: { scheduleCheckPendingRequests: (this: RequestQueue) => void };
};
requestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;

const broker = require('kafkajs/src/broker/index.js') as {
  prototype: { fetch: Patched & ((args: FetchWait) => Promise<FetchResponseRecords>) };
};
if (!broker.prototype.fetch[PATCHED]) {
  broker.prototype.fetch = Object.assign(longPollWhenIdle(broker.prototype.fetch), {
    [PATCHED]: true as const,
  });
}

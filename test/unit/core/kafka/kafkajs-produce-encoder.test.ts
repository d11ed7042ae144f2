import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  encodeProduceRequest,
  type ProduceMessage,
  type ProduceRequestArgs,
} from '../../../../services/core/src/kafka/kafkajs-produce-encoder.ts';
import { mulberry32 } from '../../../../services/core/src/stats/random.ts';

const require = createRequire(import.meta.url);
type Request = { encode: () => Promise<{ buffer: Buffer }> };
type RequestFn = ((args: ProduceRequestArgs) => Request) & {
  original?: (args: ProduceRequestArgs) => Request;
};
const Long = require('kafkajs/src/utils/long.js') as { fromValue: (v: unknown) => unknown };
// kafkajs' own encoder: the module itself, or the original kept by our patch if another test installed it.
const loaded = require('kafkajs/src/protocol/requests/produce/v3/request.js') as RequestFn;
const kafkajsRequest = loaded.original ?? loaded;

const NOW = 1_780_000_000_123;

async function kafkajsBytes(args: ProduceRequestArgs): Promise<Buffer> {
  vi.spyOn(Date, 'now').mockReturnValue(NOW);
  return (await kafkajsRequest(args).encode()).buffer;
}

function randomMessages(rand: () => number, n: number): ProduceMessage[] {
  type Bytes = Buffer | string | null | undefined;
  const pick = <T>(xs: (() => T)[]): T => xs[Math.floor(rand() * xs.length)]!();
  const bytes = (len: number) => {
    const start = Math.floor(rand() * 256);
    return Buffer.from(Array.from({ length: len }, (_, j) => (start + j * 31) & 255));
  };
  return Array.from({ length: n }, (_, i) => {
    const m: ProduceMessage = {
      key: pick<Bytes>([
        () => null,
        () => undefined,
        () => `key-${i}-ключ`,
        () => bytes(Math.floor(rand() * 40)),
      ]),
      value: pick<Bytes>([
        () => null,
        () => `value ${i} ✓`,
        () => bytes(Math.floor(rand() * 300)),
        () => bytes(20_000),
      ]),
    };
    if (rand() < 0.5) {
      m.headers = {
        'driftline.error.reason': pick<Buffer | string>([() => 'DECODE', () => Buffer.from('MISSING_FIELD')]),
        multi: [Buffer.from('a'), 'bé'],
        ...(rand() < 0.3 ? { empty: '' } : {}),
      };
    }
    if (rand() < 0.6)
      m.timestamp = pick<string | number>([
        () => String(NOW - Math.floor(rand() * 1e9)),
        () => NOW + 5,
        () => '999',
      ]);
    return m;
  });
}

afterEach(() => vi.restoreAllMocks());

describe('encodeProduceRequest', () => {
  it('shouldWriteTheSameBytesAsKafkajsForEveryMessageShape', { timeout: 60_000 }, async () => {
    const rand = mulberry32(7);
    for (let round = 0; round < 40; round++) {
      const args: ProduceRequestArgs = {
        acks: round % 3 === 0 ? 1 : -1,
        timeout: 30_000,
        transactionalId: round % 2 === 0 ? `driftline-joiner-${round}` : null,
        // kafkajs passes what InitProducerId returned: a number or a string; a Long works too.
        producerId: [4_000_000_123 + round, String(7 + round), Long.fromValue(-1)][round % 3],
        producerEpoch: round % 5,
        compression: 0,
        topicData: [
          {
            topic: 'ml.inference.v1',
            partitions: [
              { partition: 0, firstSequence: round * 100, messages: randomMessages(rand, 1 + round * 7) },
              { partition: 3, messages: randomMessages(rand, round % 4) },
            ],
          },
          {
            topic: 'driftline.joiner-changelog',
            partitions: [{ partition: 1, messages: randomMessages(rand, 5) }],
          },
        ],
      };
      expect(encodeProduceRequest(args, NOW)!.equals(await kafkajsBytes(args)), `round ${round}`).toBe(true);
    }
  });

  it('shouldMatchKafkajsForAnEmptyPartitionAndForNoTopics', async () => {
    const base = { acks: -1, timeout: 1000, compression: 0 };
    for (const topicData of [[], [{ topic: 't', partitions: [{ partition: 0, messages: [] }] }]]) {
      const args = { ...base, topicData };
      expect(encodeProduceRequest(args, NOW)!.equals(await kafkajsBytes(args))).toBe(true);
    }
  });

  it('shouldLeaveCompressedBatchesAndOddTimestampsToKafkajs', () => {
    const messages = [{ key: 'k', value: 'v' }];
    const topicData = [{ topic: 't', partitions: [{ partition: 0, messages }] }];
    expect(encodeProduceRequest({ acks: -1, timeout: 1, compression: 1, topicData }, NOW)).toBeUndefined();
    const odd = [
      { topic: 't', partitions: [{ partition: 0, messages: [{ value: 'v', timestamp: 'soon' }] }] },
    ];
    expect(encodeProduceRequest({ acks: -1, timeout: 1, topicData: odd }, NOW)).toBeUndefined();
    const nullHeader = [{ value: 'v', headers: { h: undefined } }];
    const withNull = [{ topic: 't', partitions: [{ partition: 0, messages: nullHeader }] }];
    expect(encodeProduceRequest({ acks: -1, timeout: 1, topicData: withNull }, NOW)).toBeUndefined();
  });
});

describe('kafkajs-patches', () => {
  it('shouldSendWithThePatchedEncoderAndGroupMessagesInOrderWhenImportedFirst', () => {
    // A fresh process, as in a service: the patches must be in place before kafkajs loads.
    const script = `
      await import('./services/core/src/kafka/kafkajs-patches.ts');
      const require = (await import('node:module')).createRequire(import.meta.url);
      const v7 = require('kafkajs/src/protocol/requests/produce/v7/request.js');
      const group = require('kafkajs/src/producer/groupMessagesPerPartition.js');
      const args = { acks: -1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', timestamp: '5' }] }] }] };
      const patched = (await v7(args).encode()).buffer;
      const grouped = group({ topic: 't', partitionMetadata: [{}, {}], messages: [1, 2, 3, 4, 5], partitioner: ({ message }) => message % 2 });
      const patchedIn = typeof require('kafkajs/src/protocol/requests/produce/v3/request.js').original === 'function';
      console.log(JSON.stringify({ patchedIn, v7: v7(args).apiVersion, hex: patched.toString('hex'), grouped }));
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
      }).trim(),
    ) as { patchedIn: boolean; v7: number; hex: string; grouped: Record<string, number[]> };
    expect(out.patchedIn).toBe(true);
    expect(out.v7).toBe(7);
    const expected = encodeProduceRequest(
      {
        acks: -1,
        timeout: 1000,
        topicData: [
          {
            topic: 't',
            partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', timestamp: '5' }] }],
          },
        ],
      },
      NOW,
    )!;
    expect(out.hex).toBe(expected.toString('hex'));
    expect(out.grouped).toEqual({ 0: [2, 4], 1: [1, 3, 5] });
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// Loads our kafkajs patches and registers the codecs, as every service does.
import '../../../../services/core/src/kafka/client.ts';
import { isCanonicalDecimal } from '../../../../services/core/src/kafka/kafkajs-fetch-decoder-batch.ts';
import { mulberry32 } from '../../../../services/core/src/stats/random.ts';

const require = createRequire(import.meta.url);

interface Message {
  offset: unknown;
  isControlRecord?: boolean;
  key?: Buffer | null;
  batchContext?: { producerId: string; inTransaction: boolean };
}
interface PartitionData {
  partition: number;
  highWatermark: string;
  abortedTransactions: { producerId: string; firstOffset: string }[];
  messages: Message[];
}
type BatchClass = new (
  topic: string,
  fetchedOffset: unknown,
  partition: PartitionData,
) => Record<string, unknown>;
const Batch = require('kafkajs/src/consumer/batch.js') as BatchClass & { original?: BatchClass };
const KafkajsBatch = Batch.original!;
const decodeV11 = (
  require('kafkajs/src/protocol/requests/fetch/v11/response.js') as {
    decode: (raw: Buffer) => Promise<{ responses: { topicName: string; partitions: PartitionData[] }[] }>;
  }
).decode;

const METHODS = [
  'isEmpty',
  'isEmptyIncludingFiltered',
  'isEmptyDueToFiltering',
  'isEmptyControlRecord',
  'isEmptyDueToLogCompactedMessages',
  'firstOffset',
  'lastOffset',
  'offsetLag',
  'offsetLagLow',
] as const;

/** Everything a consumer can see of a batch: its fields in order (records by identity) and its methods' results. */
function view(make: () => Record<string, unknown>, records: readonly Message[]): unknown {
  let batch: Record<string, unknown>;
  try {
    batch = make();
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
  const ids = (xs: unknown) => (xs as Message[]).map((m) => records.indexOf(m));
  const fields = Object.entries(batch).map(([k, v]) =>
    Array.isArray(v) ? [k, ids(v)] : [k, v === records ? 'the records' : v],
  );
  const calls = METHODS.map((m) => {
    try {
      return (batch[m] as () => unknown).call(batch);
    } catch (error) {
      return `${(error as Error).name}`;
    }
  });
  return { fields, calls, kafkajsBatch: batch instanceof KafkajsBatch };
}

describe('kafkajs Batch with string offsets', () => {
  it('shouldBuildWhatKafkajsBuildsForEveryCapturedFetch', async () => {
    expect(Batch).not.toBe(KafkajsBatch);
    const captured = JSON.parse(
      readFileSync(new URL('../../../fixtures/kafka-fetch/fetch-responses.json', import.meta.url), 'utf8'),
    ) as { version: number; response: string }[];
    let compared = 0;
    for (const c of captured) {
      expect(c.version).toBe(11);
      const { responses } = await decodeV11(Buffer.from(c.response, 'base64'));
      for (const { topicName, partitions } of responses) {
        for (const partition of partitions) {
          const offsets = partition.messages.map((m) => m.offset as string);
          for (const fetched of [
            '0',
            offsets[0],
            offsets[offsets.length >> 1],
            offsets.at(-1),
            '999999',
            3,
          ]) {
            const ours = view(() => new Batch(topicName, fetched, partition), partition.messages);
            expect(ours).toEqual(
              view(() => new KafkajsBatch(topicName, fetched, partition), partition.messages),
            );
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('shouldDropTheSameRecordsAsKafkajsWhateverFormTheOffsetsTake', () => {
    const rand = mulberry32(5);
    const forms: unknown[] = [
      '0',
      '7',
      '9',
      '10',
      '99',
      '100',
      '101',
      '12345678901',
      '12345678900',
      '007',
      '-1',
      '-20',
      '1e3',
      ' 5',
      '',
      '9007199254740993',
      '18446744073709551615',
      12,
      100,
      7n,
      'NaN',
    ];
    const pick = () => forms[Math.floor(rand() * forms.length)];
    for (let round = 0; round < 400; round++) {
      const messages: Message[] = Array.from({ length: Math.floor(rand() * 8) }, () => ({
        offset: pick(),
        isControlRecord: rand() < 0.1,
      }));
      const partition: PartitionData = {
        partition: 0,
        highWatermark: '200',
        abortedTransactions: [],
        messages,
      };
      const fetched = pick();
      expect(
        view(() => new Batch('t', fetched, partition), messages),
        `round ${round}`,
      ).toEqual(view(() => new KafkajsBatch('t', fetched, partition), messages));
    }
  });

  it('shouldTellCanonicalDecimalsFromEveryOtherForm', () => {
    for (const s of ['0', '1', '10', '9007199254740993', '18446744073709551615'])
      expect(isCanonicalDecimal(s)).toBe(true);
    for (const s of ['', '00', '01', '-1', '+1', '1e3', ' 1', '1 ', '1.0', 'NaN', '٣'])
      expect(isCanonicalDecimal(s)).toBe(false);
  });
});

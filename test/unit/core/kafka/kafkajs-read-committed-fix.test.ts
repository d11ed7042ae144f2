import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { filterAbortedRecords } from '../../../../services/core/src/kafka/kafkajs-read-committed-fix.ts';

const COMMIT = Buffer.from([0, 0, 0, 1]);
const ABORT = Buffer.from([0, 0, 0, 0]);
const data = (offset: number, producerId: string) => ({
  offset: String(offset),
  key: Buffer.from('k'),
  isControlRecord: false,
  batchContext: { producerId, inTransaction: true },
});
const marker = (offset: number, producerId: string, key: Buffer) => ({
  offset: String(offset),
  key,
  isControlRecord: true,
  batchContext: { producerId, inTransaction: true },
});

// Two producers' transactions interleave in one partition; B's transaction (from offset 1) is aborted first,
// A's (from offset 0) later, so the broker lists them in that abort order, not by first offset.
const records = [
  data(0, 'A'),
  data(1, 'B'),
  data(2, 'A'),
  data(3, 'B'),
  marker(4, 'B', ABORT),
  data(5, 'C'),
  marker(6, 'A', ABORT),
  data(7, 'A'),
  marker(8, 'A', COMMIT),
];
const abortedInAbortOrder = [
  { producerId: 'B', firstOffset: '1' },
  { producerId: 'A', firstOffset: '0' },
];

describe('filterAbortedRecords', () => {
  it('shouldDropEveryRecordOfAbortedTransactionsWhenTheyInterleaveAndAreListedInAbortOrder', () => {
    const kept = filterAbortedRecords(records, abortedInAbortOrder).filter((r) => !r.isControlRecord);
    expect(kept.map((r) => r.offset)).toEqual(['5', '7']);
  });

  it('shouldKeepEverythingWhenNothingWasAborted', () => {
    expect(filterAbortedRecords(records, [])).toHaveLength(records.length);
  });

  it('shouldNotTakeADataRecordWithAZeroKeyForAnAbortMarker', () => {
    const zeroKey = { ...data(3, 'A'), key: Buffer.from([0, 0, 0, 0]) };
    const kept = filterAbortedRecords(
      [data(0, 'A'), zeroKey, data(4, 'A')],
      [{ producerId: 'A', firstOffset: '0' }],
    );
    expect(kept).toEqual([]);
  });
});

describe('kafkajs-patches: read_committed', () => {
  it('shouldMakeKafkajsBatchesDropInterleavedAbortedRecordsWhenImportedFirst', () => {
    // A fresh process: the fix must be in place before kafkajs loads, as client.ts does it.
    const script = `
      await import('./services/core/src/kafka/kafkajs-patches.ts');
      const { createRequire } = await import('node:module');
      const Batch = createRequire(import.meta.url)('kafkajs/src/consumer/batch.js');
      const partitionData = { partition: 0, highWatermark: '9', abortedTransactions: ${JSON.stringify(abortedInAbortOrder)}, messages: ${JSON.stringify(records, (_k, v) => (v?.type === 'Buffer' ? { __b: v.data } : v))} };
      for (const m of partitionData.messages) m.key = Buffer.from(m.key.__b);
      console.log(JSON.stringify(new Batch('t', '0', partitionData).messages.map((m) => m.offset)));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim())).toEqual(['5', '7']);
  });
});

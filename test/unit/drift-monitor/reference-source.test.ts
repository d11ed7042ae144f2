import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileEvents, flatEvent, parseCsv } from '../../../services/drift-monitor/src/reference-source.ts';
import { sqlString } from '../../../services/drift-monitor/src/store.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ref-'));
async function all<T>(it: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('reference sources', () => {
  it('shouldSplitQuotedCsvFieldsWithCommasQuotesAndNewlines', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n\n1,\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['1', ''],
    ]);
  });

  it('shouldReadCsvColumnsAsFeaturesAndReservedColumnsAsTheOutput', async () => {
    const file = path.join(dir, 'r.csv');
    writeFileSync(
      file,
      'prediction_id,age,city,zip,prediction,score.yes\n1,31,Lyon,69001,yes,0.8\n2,,Paris,75001,no,0.1\n',
    );
    const events = await all(fileEvents(file, { categorical: new Set(['zip']) }));
    expect(events[0]).toEqual({
      features: { age: 31, city: 'Lyon', zip: '69001' },
      prediction: { label: 'yes', scores: { yes: 0.8 } },
    });
    expect(events[1]!.features.age).toBeNull();
  });

  it('shouldReadInferenceEventsAndFlatRecordsFromJsonLines', async () => {
    const file = path.join(dir, 'r.jsonl');
    writeFileSync(file, '{"features":{"a":1},"prediction":{"value":2}}\n\n{"a":3,"prediction_value":4}\n');
    expect(await all(fileEvents(file))).toEqual([
      { features: { a: 1 }, prediction: { value: 2 } },
      { features: { a: 3 }, prediction: { value: 4 } },
    ]);
  });

  it('shouldNameTheFileAndLineWhenALineIsNotJson', async () => {
    const file = path.join(dir, 'bad.jsonl');
    writeFileSync(file, '{"a":1}\n{oops\n');
    await expect(all(fileEvents(file))).rejects.toThrow(`reference data ${file}: line 2 is not JSON`);
    expect(() => fileEvents(path.join(dir, 'r.parquet'))).toThrow('use a .csv or .jsonl');
  });

  it('shouldIgnoreIdentityColumnsOfAFlatRecord', () => {
    expect(flatEvent({ model_id: 'm', timestamp: 1, x: 1 })).toEqual({ features: { x: 1 }, prediction: {} });
  });

  it('shouldQuoteSqlStringsSoValuesCannotEscapeTheirLiteral', () => {
    expect(sqlString("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
  });
});

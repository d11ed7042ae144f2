import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../services/core/src/clickhouse/migrations.ts';
import { rowBinaryEncoder } from '../../services/core/src/clickhouse/row-binary.ts';
import { trickySinkTables } from './utils/sink-tricky-rows.ts';

/**
 * The sink's RowBinary on current ClickHouse (26.x, embedded by PyPI's chdb): the tricky rows of the sink's
 * tables loaded from a JSONEachRow file (the format the sink wrote before) and from the sink's RowBinary read
 * back the same, in tables made by the project's migrations. chdb comes with the test environment
 * (infra/python-env.sh); DRIFTLINE_CHDB_PYTHON names another Python with chdb.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PYTHON =
  process.env.DRIFTLINE_CHDB_PYTHON ??
  execFileSync('bash', [path.join(ROOT, 'infra', 'python-env.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;

const statements = (database: string) => loadMigrations(database).flatMap((m) => m.statements);

describe('sink rows in RowBinary on current ClickHouse (chdb)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftline-chdb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shouldReadBackTheSameRowsAsFromJsonEachRowWhenValuesAreTricky', () => {
    const tables = trickySinkTables().map(({ target, order, rows }) => {
      const jsonFile = path.join(dir, `${target.table}.jsonl`);
      const binaryFile = path.join(dir, `${target.table}.bin`);
      writeFileSync(jsonFile, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
      writeFileSync(binaryFile, rowBinaryEncoder(target.columns)(rows));
      return {
        table: target.table,
        columns: Object.keys(target.columns),
        order,
        json_file: jsonFile,
        binary_file: binaryFile,
        count: rows.length,
      };
    });
    const spec = path.join(dir, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        json_statements: statements('via_json'),
        binary_statements: statements('via_binary'),
        tables,
      }),
    );
    const out = execFileSync(PYTHON, [path.join(ROOT, 'test/integration/python/chdb_row_binary.py'), spec], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      timeout: 120_000,
    });
    const read = JSON.parse(out) as Record<string, { json: unknown[]; binary: unknown[] }>;
    for (const t of tables) {
      expect(read[t.table]!.json, t.table).toHaveLength(t.count);
      expect(read[t.table]!.binary, t.table).toEqual(read[t.table]!.json);
    }
  });
});

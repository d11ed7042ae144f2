import type { ClickHouseClient } from '@clickhouse/client';
import { DriftlineError } from '../errors.ts';
import { loadMigrations, type Migration } from './migrations.ts';
import { writerOf } from './writer.ts';

export interface MigrateResult {
  applied: Migration[];
  alreadyApplied: number;
}

/**
 * Creates the database and applies the migrations not yet recorded in `schema_migrations`, in order.
 * Safe to run concurrently from several services: every statement is idempotent (IF NOT EXISTS).
 * @throws DriftlineError when an applied migration's file changed since (its checksum differs).
 */
export async function migrate(client: ClickHouseClient, database: string): Promise<MigrateResult> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${database}.schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime)
      ENGINE = ReplacingMergeTree() ORDER BY version`,
  });
  const done = await appliedChecksums(client, database);
  const applied: Migration[] = [];
  for (const m of loadMigrations(database)) {
    const previous = done.get(m.version);
    if (previous !== undefined) {
      if (previous !== m.checksum) {
        throw new DriftlineError(
          `migration ${m.version}_${m.name} changed after it was applied: add a new migration instead`,
        );
      }
      continue;
    }
    for (const statement of m.statements) await client.command({ query: statement });
    // One attempt: start-up retries the whole migration (service-runtime.ts), and every step is idempotent.
    await writerOf(client).insert(database, 'schema_migrations', [
      { version: m.version, name: m.name, checksum: m.checksum, applied_at: Math.floor(Date.now() / 1000) },
    ]);
    applied.push(m);
  }
  return { applied, alreadyApplied: done.size };
}

async function appliedChecksums(client: ClickHouseClient, database: string): Promise<Map<number, string>> {
  const result = await client.query({
    query: `SELECT version, any(checksum) AS checksum FROM ${database}.schema_migrations GROUP BY version`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ version: number | string; checksum: string }>();
  return new Map(rows.map((r) => [Number(r.version), r.checksum]));
}

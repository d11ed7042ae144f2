import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DriftlineError } from '../errors.ts';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../infra/clickhouse/migrations',
);

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  /** Statements with the database name substituted, one per request (ClickHouse's HTTP API runs one at a time). */
  statements: string[];
}

/**
 * Reads `NNNN_name.sql` files in version order and substitutes `{db}`. Pure apart from reading the folder.
 * @throws DriftlineError on a badly named file or a duplicate version.
 */
export function loadMigrations(database: string, dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new DriftlineError(`migration file ${file} must be named NNNN_name.sql`);
    const version = Number(match[1]);
    if (seen.has(version)) throw new DriftlineError(`two migrations have version ${version}`);
    seen.add(version);
    const sql = readFileSync(path.join(dir, file), 'utf8');
    return { version, name: match[2]!, checksum: sha(sql), statements: splitStatements(sql, database) };
  });
}

/** Splits on semicolons at line ends and drops comments; our migrations keep string literals free of `;`. */
export function splitStatements(sql: string, database: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0)
    .map((s) => s.replaceAll('{db}', database));
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Reads the repository's own files for the infra checks: metric names declared in code, tables in migrations. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every `name: 'driftline_…'` a service registers with prom-client. */
export function declaredMetrics(): Set<string> {
  const names = new Set<string>();
  for (const file of tsFiles('services')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/name: '(driftline_[a-z0-9_]+)'/g)) names.add(m[1]!);
  }
  return names;
}

/** The prefix of prom-client's default process metrics (collectDefaultMetrics in service-metrics.ts). */
export function processMetricPrefix(): string {
  const m = /collectDefaultMetrics\(\{[^}]*prefix: '([a-z_]+)'/.exec(
    read('services/core/src/metrics/service-metrics.ts'),
  );
  if (!m) throw new Error('service-metrics.ts no longer sets a prefix for the default metrics');
  return m[1]!;
}

/** Whether a series name used in a query is one the services write (histogram suffixes included). */
export function isKnownSeries(name: string, declared: Set<string>, processPrefix: string): boolean {
  if (name.startsWith(processPrefix)) return true;
  return declared.has(name.replace(/_(bucket|sum|count)$/, '')) || declared.has(name);
}

/** Tables created by the migrations. */
export function migrationTables(): Set<string> {
  const dir = 'infra/clickhouse/migrations';
  const tables = new Set<string>();
  for (const file of readdirSync(path.join(ROOT, dir))) {
    for (const m of read(path.join(dir, file)).matchAll(/CREATE TABLE IF NOT EXISTS \{db\}\.(\w+)/g))
      tables.add(m[1]!);
  }
  return tables;
}

/** `services/<name>/src/main.ts` services started by docker-compose.yml. */
export function composeServices(): string[] {
  return [...read('docker-compose.yml').matchAll(/command: \['services\/([a-z-]+)\/src\/main\.ts'\]/g)].map(
    (m) => m[1]!,
  );
}

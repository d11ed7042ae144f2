import { writeFile } from 'node:fs/promises';
import { createClickHouse } from '../../core/src/clickhouse/client.ts';
import { migrate } from '../../core/src/clickhouse/migrate.ts';
import { loadConfig, loadSettings } from '../../core/src/config/load.ts';
import { UsageError } from './errors.ts';
import { profileToJSON, type ReferenceProfile } from './profile.ts';
import { ProfileBuilder, type ReferenceEvent } from './profile-builder.ts';
import { clickhouseEvents, fileEvents } from './reference-source.ts';
import { DRIFT_SETTINGS } from './settings.ts';
import { DriftStore } from './store.ts';

/** Options of `reference-cli build` and of the main CLI's `driftline reference build`. */
export interface BuildReferenceOptions {
  modelId: string;
  modelVersion: string;
  /** A reference file: .csv (header row) or .jsonl (InferenceEvent objects or flat records). */
  from?: string;
  /** Or a time range of inference_log: ISO-8601 or epoch ms; `limit` keeps the first N by event time. */
  fromClickHouse?: { since: string | number; until: string | number; limit?: number };
  /** Quantile bins per numeric feature. @default DRIFTLINE_DRIFT_BINS (20) */
  bins?: number;
  /** Columns read as categories even when they look like numbers. */
  categorical?: string[];
  /** Also write the profile JSON to this file. */
  out?: string;
  /** Build and report, but do not store in ClickHouse. */
  dryRun?: boolean;
  /** Environment to read settings from. @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface BuildReferenceResult {
  modelId: string;
  modelVersion: string;
  profileId: string;
  createdAt: string;
  source: string;
  events: number;
  columns: {
    name: string;
    role: string;
    kind: string;
    n: number;
    missing: number;
    bins?: number;
    categories?: number;
  }[];
  skipped: { name: string; reason: string }[];
  stored: boolean;
}

function toMs(value: string | number, name: string): number {
  if (value === '' && name === 'until') return Date.now();
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--${name} must be ISO-8601 or epoch milliseconds, got ${JSON.stringify(value)}`);
  }
  return ms;
}

function summary(p: ReferenceProfile): BuildReferenceResult['columns'] {
  return p.columns.map((c) => ({
    name: c.name,
    role: c.role,
    kind: c.kind,
    n: c.reference.n,
    missing: c.reference.missing,
    ...(c.kind === 'numeric' ? { bins: c.reference.counts.length } : { categories: c.reference.counts.size }),
  }));
}

/**
 * Builds a reference profile from a file or a time range of `inference_log`, stores it in
 * `reference_profiles` (applying migrations first) and reports what it holds.
 * @throws UsageError when neither or both sources are given; ReferenceSourceError for unreadable data.
 */
export async function buildReferenceCommand(options: BuildReferenceOptions): Promise<BuildReferenceResult> {
  if ((options.from === undefined) === (options.fromClickHouse === undefined)) {
    throw new UsageError(
      'give exactly one source: --from <file.csv|file.jsonl> or --from-clickhouse --since T --until T',
    );
  }
  const env = options.env ?? process.env;
  const config = loadConfig(env);
  const bins = options.bins ?? loadSettings(DRIFT_SETTINGS, env).bins;
  const client = createClickHouse(config);
  try {
    const builder = new ProfileBuilder();
    let source: string;
    let events: AsyncGenerator<ReferenceEvent>;
    if (options.from !== undefined) {
      source = `file:${options.from}`;
      events = fileEvents(options.from, { categorical: new Set(options.categorical ?? []) });
    } else {
      const r = options.fromClickHouse!;
      const sinceMs = toMs(r.since, 'since');
      const untilMs = toMs(r.until, 'until');
      source = `clickhouse:${new Date(sinceMs).toISOString()}..${new Date(untilMs).toISOString()}`;
      const range = {
        modelId: options.modelId,
        modelVersion: options.modelVersion,
        sinceMs,
        untilMs,
        ...(r.limit ? { limit: r.limit } : {}),
      };
      events = clickhouseEvents(client, config.clickhouseDatabase, range);
    }
    for await (const e of events) builder.add(e);
    if (builder.size === 0) throw new UsageError(`no reference events in ${source}`);
    const { profile, skipped } = builder.build({
      modelId: options.modelId,
      modelVersion: options.modelVersion,
      bins,
      source,
      createdAt: Date.now(),
    });
    if (options.out) await writeFile(options.out, JSON.stringify(profileToJSON(profile), null, 2));
    if (!options.dryRun) {
      await migrate(client, config.clickhouseDatabase);
      await new DriftStore(client, config.clickhouseDatabase).insertProfile(profile);
    }
    return {
      modelId: profile.modelId,
      modelVersion: profile.modelVersion,
      profileId: profile.profileId,
      createdAt: new Date(profile.createdAt).toISOString(),
      source,
      events: profile.eventCount,
      columns: summary(profile),
      skipped,
      stored: !options.dryRun,
    };
  } finally {
    await client.close();
  }
}

/** The stored profiles (newest last per version), for `reference-cli list`. */
export async function listReferenceCommand(
  options: { modelId?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Record<string, unknown>[]> {
  const config = loadConfig(options.env ?? process.env);
  const client = createClickHouse(config);
  try {
    await migrate(client, config.clickhouseDatabase);
    return await new DriftStore(client, config.clickhouseDatabase).listProfiles(options.modelId);
  } finally {
    await client.close();
  }
}

import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { describe } from '../../core/src/errors.ts';
import type { Logger } from '../../core/src/logger.ts';
import { ProfileBuilder } from './profile-builder.ts';
import { versionKey } from './profile.ts';
import { clickhouseEvents } from './reference-source.ts';
import type { DriftSettings } from './settings.ts';
import type { DriftStore } from './store.ts';

export interface ProfileBootstrapDeps {
  client: ClickHouseClient;
  db: string;
  store: DriftStore;
  /** bootstrapEvents: the first N events become the reference; profileRefreshMs: how often to look again. */
  settings: Pick<DriftSettings, 'bootstrapEvents' | 'bins' | 'profileRefreshMs'>;
  logger: Logger;
  now?: () => number;
}

/**
 * Builds a profile for a model version that has none, from its first N events by event time (then
 * prediction id) in `inference_log`, which the sink writes. Reading them back from ClickHouse, not from this
 * instance's partitions, makes every instance build the same profile (same content, same id). Only the
 * instance that closes the model builds it. Windows before the profile exists are not tested; the window in
 * which it appears may be partial (its sample_count says so).
 */
export class ProfileBootstrap {
  private readonly waiting = new Map<string, { modelId: string; modelVersion: string; triedAt: number }>();

  constructor(private readonly deps: ProfileBootstrapDeps) {}

  /** Versions seen without a profile (from phase 1). */
  note(versions: Iterable<{ modelId: string; modelVersion: string }>): void {
    for (const v of versions) {
      const key = versionKey(v.modelId, v.modelVersion);
      if (!this.waiting.has(key)) this.waiting.set(key, { ...v, triedAt: -Infinity });
    }
  }

  /** Tries the owned versions whose retry period passed; returns how many profiles it stored. */
  async run(owns: (modelId: string) => boolean): Promise<number> {
    const now = (this.deps.now ?? Date.now)();
    let built = 0;
    for (const [key, v] of this.waiting) {
      if (!owns(v.modelId) || now - v.triedAt < this.deps.settings.profileRefreshMs) continue;
      v.triedAt = now;
      try {
        if (await this.build(v.modelId, v.modelVersion, now)) {
          this.waiting.delete(key);
          built += 1;
        }
      } catch (error) {
        this.deps.logger.warn(
          { model: v.modelId, version: v.modelVersion, error: describe(error) },
          'profile bootstrap failed',
        );
      }
    }
    return built;
  }

  private async build(modelId: string, modelVersion: string, now: number): Promise<boolean> {
    const { store, client, db } = this.deps;
    const { bootstrapEvents: events, bins } = this.deps.settings;
    if ((await store.activeProfile(modelId, modelVersion)) !== undefined) return true;
    if ((await store.inferenceCount(modelId, modelVersion)) < events) return false;
    const builder = new ProfileBuilder();
    const range = { modelId, modelVersion, sinceMs: 0, untilMs: Number.MAX_SAFE_INTEGER, limit: events };
    for await (const e of clickhouseEvents(client, db, range)) builder.add(e);
    if (builder.size < events) return false;
    const source = `bootstrap:first ${events} events of inference_log`;
    const { profile } = builder.build({ modelId, modelVersion, bins, source, createdAt: now });
    await store.insertProfile(profile);
    this.deps.logger.info(
      { model: modelId, version: modelVersion, profile: profile.profileId, events },
      'reference profile bootstrapped',
    );
    return true;
  }
}

import { versionKey, type ReferenceProfile } from './profile.ts';

/** Where profiles come from (DriftStore in production, a map in tests). */
export interface ProfileSource {
  activeProfile(modelId: string, modelVersion: string): Promise<ReferenceProfile | undefined>;
  profileById(profileId: string): Promise<ReferenceProfile | undefined>;
}

/**
 * Profiles in memory, so the hot path looks them up synchronously. A version without a profile is asked for
 * again at most every `refreshMs` (wall clock), so a profile built while the service runs is picked up
 * without a query per event. A known version keeps its profile until `forget` (a new profile for a live
 * version takes effect after a restart or rebalance; windows already open keep theirs).
 */
export class ProfileCache {
  private readonly active = new Map<string, ReferenceProfile>();
  private readonly byId = new Map<string, ReferenceProfile>();
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly source: ProfileSource,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Synchronous lookup for the processor; undefined when the version has no profile (yet). */
  lookup = (modelId: string, modelVersion: string): ReferenceProfile | undefined =>
    this.active.get(versionKey(modelId, modelVersion));

  /** Loads the profiles of versions not in memory, each at most once per refresh period. */
  async prepare(versions: Iterable<{ modelId: string; modelVersion: string }>): Promise<void> {
    for (const { modelId, modelVersion } of versions) {
      const key = versionKey(modelId, modelVersion);
      if (this.active.has(key)) continue;
      const since = this.missingSince.get(key);
      if (since !== undefined && this.now() - since < this.refreshMs) continue;
      const profile = await this.source.activeProfile(modelId, modelVersion);
      if (profile) {
        this.active.set(key, profile);
        this.byId.set(profile.profileId, profile);
        this.missingSince.delete(key);
      } else this.missingSince.set(key, this.now());
    }
  }

  /** A profile by id (restored partials keep the profile they were built on). */
  async get(profileId: string): Promise<ReferenceProfile | undefined> {
    const cached = this.byId.get(profileId);
    if (cached) return cached;
    const profile = await this.source.profileById(profileId);
    if (profile) this.byId.set(profileId, profile);
    return profile;
  }

  /** Drops a version so its next event loads the newest profile. */
  forget(modelId: string, modelVersion: string): void {
    this.active.delete(versionKey(modelId, modelVersion));
  }
}

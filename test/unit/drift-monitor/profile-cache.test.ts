import { describe, expect, it } from 'vitest';
import { ProfileCache, type ProfileSource } from '../../../services/drift-monitor/src/profile-cache.ts';
import { events, profileOf } from './helpers.ts';

const profile = profileOf(events({ seed: 1, count: 200, features: 2 }));

describe('ProfileCache', () => {
  it('shouldAskAgainForAMissingVersionOnlyAfterTheRefreshPeriod', async () => {
    let now = 0;
    let asked = 0;
    const box: { stored?: typeof profile } = {};
    const source: ProfileSource = {
      activeProfile: async () => {
        asked += 1;
        return box.stored;
      },
      profileById: async () => undefined,
    };
    const cache = new ProfileCache(source, 1000, () => now);
    const v = [{ modelId: 'm', modelVersion: 'v1' }];
    await cache.prepare(v);
    await cache.prepare(v);
    expect(asked).toBe(1);
    expect(cache.lookup('m', 'v1')).toBeUndefined();
    box.stored = profile;
    now = 1000;
    await cache.prepare(v);
    expect(cache.lookup('m', 'v1')).toBe(profile);
    await cache.prepare(v);
    expect(asked).toBe(2);
    expect(await cache.get(profile.profileId)).toBe(profile);
  });
});

/**
 * Reference profiles of the benchmark's model versions, built as `driftline reference build` builds them:
 * 5,000 stationary events per version, the drift monitor's default bins.
 */
import { loadSettings } from '../../services/core/src/config/load.ts';
import { ProfileBuilder } from '../../services/drift-monitor/src/profile-builder.ts';
import { versionKey, type ReferenceProfile } from '../../services/drift-monitor/src/profile.ts';
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { VERSIONS, WINDOW_MS } from './scenarios.ts';
import { drawWindow } from './traffic.ts';

export const REFERENCE_EVENTS = 5000;

export function referenceProfiles(env: Record<string, string> = {}): Map<string, ReferenceProfile> {
  const bins = loadSettings(DRIFT_SETTINGS, env).bins;
  const out = new Map<string, ReferenceProfile>();
  VERSIONS.forEach((v, i) => {
    const builder = new ProfileBuilder();
    const draws = drawWindow({
      ...v,
      startMs: 0,
      windowMs: WINDOW_MS,
      events: REFERENCE_EVENTS,
      changes: [],
      seed: 7919 + i,
    });
    for (const d of draws) builder.add(d.inference);
    const { profile } = builder.build({
      modelId: v.modelId,
      modelVersion: v.modelVersion,
      bins,
      source: 'bench:verdicts',
      createdAt: 0,
    });
    out.set(versionKey(v.modelId, v.modelVersion), profile);
  });
  return out;
}

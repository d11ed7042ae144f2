import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { mulberry32, normalGenerator } from '../../../services/core/src/stats/random.ts';
import { ProfileBuilder } from '../../../services/drift-monitor/src/profile-builder.ts';
import type { ReferenceProfile } from '../../../services/drift-monitor/src/profile.ts';
import type { DriftTestConfig } from '../../../services/drift-monitor/src/window-evaluation.ts';
import { parseTestThresholds } from '../../../services/drift-monitor/src/feature-tests.ts';

export interface EventOptions {
  seed: number;
  count: number;
  features?: number;
  /** standard deviations added to feature `x{shiftFeature}` */
  shift?: number;
  shiftFeature?: number;
  startMs?: number;
  stepMs?: number;
  model?: string;
  version?: string;
}

/** Seeded events: `features` standard normals x0.., a categorical `plan`, a classifier output. */
export function events(o: EventOptions): InferenceEvent[] {
  const rng = mulberry32(o.seed);
  const normal = normalGenerator(rng);
  const out: InferenceEvent[] = [];
  for (let i = 0; i < o.count; i++) {
    const features: InferenceEvent['features'] = {};
    for (let f = 0; f < (o.features ?? 5); f++)
      features[`x${f}`] = normal() + (f === (o.shiftFeature ?? 0) ? (o.shift ?? 0) : 0);
    features.plan = rng() < 0.7 ? 'basic' : 'pro';
    const label = rng() < 0.5 ? 'a' : 'b';
    const sa = label === 'a' ? 0.6 + 0.4 * rng() : 0.4 * rng();
    out.push({
      prediction_id: `${o.seed}-${i}`,
      model_id: o.model ?? 'm',
      model_version: o.version ?? 'v1',
      timestamp: (o.startMs ?? 0) + i * (o.stepMs ?? 10),
      features,
      prediction: { label, scores: { a: sa, b: 1 - sa }, value: null },
    });
  }
  return out;
}

export function profileOf(reference: InferenceEvent[], bins = 20): ReferenceProfile {
  const b = new ProfileBuilder();
  for (const e of reference) b.add(e);
  return b.build({ modelId: 'm', modelVersion: 'v1', bins, source: 'test', createdAt: 0 }).profile;
}

export function testConfig(overrides: Partial<DriftTestConfig> = {}): DriftTestConfig {
  const thresholds = parseTestThresholds('');
  if (!thresholds.ok) throw new Error(thresholds.error);
  return {
    thresholds: thresholds.value,
    featureTests: new Map(),
    largeWindow: 1000,
    correction: 'bh',
    driftShare: 0.5,
    missingAlpha: 0.001,
    unseenShare: 0.05,
    ...overrides,
  };
}

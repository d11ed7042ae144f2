import { describe, expect, it } from 'vitest';
import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { mulberry32, normalGenerator } from '../../../services/core/src/stats/random.ts';
import { MULTIVARIATE_FEATURE, windowRows } from '../../../services/drift-monitor/src/rows.ts';
import { profileFromJSON, profileToJSON } from '../../../services/drift-monitor/src/profile.ts';
import { evaluateWindow } from '../../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../../services/drift-monitor/src/window-partials.ts';
import { profileOf, testConfig } from './helpers.ts';

/**
 * Eight standard-normal features: x0 and x1 correlated with `rho`, x2..x3 correlated 0.6, the rest
 * independent. Every marginal is N(0, 1) whatever `rho`: only how x0 and x1 move together changes.
 */
function correlatedEvents(seed: number, count: number, rho: number): InferenceEvent[] {
  const normal = normalGenerator(mulberry32(seed));
  return Array.from({ length: count }, (_, i) => {
    const x0 = normal();
    const x3 = normal();
    const features: InferenceEvent['features'] = {
      x0,
      x1: rho * x0 + Math.sqrt(1 - rho * rho) * normal(),
      x2: 0.6 * x3 + 0.8 * normal(),
      x3,
    };
    for (let f = 4; f < 8; f++) features[`x${f}`] = normal();
    return {
      prediction_id: `${seed}-${i}`,
      model_id: 'm',
      model_version: 'v1',
      timestamp: i,
      features,
      prediction: { label: x0 > 0 ? 'a' : 'b', scores: null, value: null },
    };
  });
}

const profile = profileOf(correlatedEvents(1, 5000, 0.8));

function windowOf(events: InferenceEvent[]): WindowPartial {
  const w = new WindowPartial(profile);
  events.forEach((e) => w.update(e));
  return w;
}

describe('multivariate drift (PCA reconstruction error)', () => {
  it('shouldFitTheReconstructionWhenTheReferenceHasNumericFeatures', () => {
    const mv = profile.multivariate!;
    expect(mv.reconstruction.features).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']);
    expect(mv.reconstruction.explained).toBeGreaterThan(0.65);
    expect(mv.band.chunkSize).toBe(500);
    const back = profileFromJSON(JSON.parse(JSON.stringify(profileToJSON(profile))));
    expect(back.multivariate!.band).toEqual(mv.band);
  });

  it('shouldFlagOnlyTheMultivariateRowWhenOnePairChangesItsCorrelation', () => {
    const stream = [
      ...[0, 1, 2].map((s) => correlatedEvents(100 + s, 500, 0.8)),
      ...[0, 1, 2].map((s) => correlatedEvents(200 + s, 500, -0.8)),
    ];
    const verdicts = stream.map((events) => evaluateWindow(profile, windowOf(events), testConfig()));
    for (const v of verdicts) expect(v.dataset.driftedFeatures).toEqual([]);
    expect(verdicts.map((v) => v.multivariate!.drifted)).toEqual([false, false, false, true, true, true]);
    const changed = verdicts[3]!.multivariate!;
    expect(
      changed.contributors
        .slice(0, 2)
        .map((c) => c.feature)
        .sort(),
    ).toEqual(['x0', 'x1']);
  });

  it('shouldRaiseNoMultivariateFlagWhenTheStreamIsStationary', () => {
    for (let s = 0; s < 30; s++) {
      const v = evaluateWindow(profile, windowOf(correlatedEvents(300 + s, 300 + 40 * s, 0.8)), testConfig());
      expect(v.multivariate!.drifted).toBe(false);
    }
  });

  it('shouldEqualOneWindowWhenPartitionsMerge', () => {
    const events = correlatedEvents(400, 600, -0.8);
    const whole = windowOf(events);
    const merged = windowOf(events.slice(0, 250)).merge(
      WindowPartial.fromJSON(profile, JSON.parse(JSON.stringify(windowOf(events.slice(250)).toJSON()))),
    );
    expect(merged.multivariate!.n).toBe(600);
    expect(merged.multivariate!.mean).toBeCloseTo(whole.multivariate!.mean, 12);
  });

  it('shouldWriteADatasetLevelRowNamingTheContributorsWhenAWindowCloses', () => {
    const w = windowOf(correlatedEvents(500, 500, -0.8));
    const evaluation = evaluateWindow(profile, w, testConfig());
    const rows = windowRows(
      {
        modelId: 'm',
        modelVersion: 'v1',
        windowStartMs: 0,
        windowEndMs: 3_600_000,
        partials: [],
        excluded: [],
        profileId: profile.profileId,
        fingerprint: '',
        inputVersion: 1,
      },
      profile,
      evaluation,
      { total: 500, excluded: 0, mismatched: 0 },
      0,
    );
    const row = rows.find((r) => r.feature === MULTIVARIATE_FEATURE)!;
    expect(row).toMatchObject({ method: 'reconstruction_error', drifted: 1, decisive: 1, sample_count: 500 });
    expect(row.statistic).toBeGreaterThan(row.threshold!);
    expect(row.reason).toMatch(/above the reference band.*x[01] \d+%, x[01]/);
    expect(JSON.parse(row.detail).contributors[0].feature).toMatch(/^x[01]$/);
  });

  it('shouldHaveNoMultivariatePartWhenTheReferenceHasOneNumericFeature', () => {
    const single = profileOf(
      correlatedEvents(2, 500, 0.8).map((e) => ({ ...e, features: { x0: e.features.x0! } })),
    );
    expect(single.multivariate).toBeUndefined();
    expect(new WindowPartial(single).multivariate).toBeNull();
  });
});

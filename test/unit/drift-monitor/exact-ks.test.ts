import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { ProfileBuilder } from '../../../services/drift-monitor/src/profile-builder.ts';
import { profileFromJSON, profileToJSON } from '../../../services/drift-monitor/src/profile.ts';
import { evaluateWindow } from '../../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../../services/drift-monitor/src/window-partials.ts';
import { testConfig } from './helpers.ts';

// scipy.stats.ks_2samp on 1,000-event windows against a 5,000-event reference: test/fixtures/stats/ks_windows.py
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/ks_windows.json', import.meta.url), 'utf8'),
) as {
  references: Record<string, number[]>;
  cases: { name: string; reference: string; window: number[]; statistic: number; p_value: number }[];
};

const eventOf = (x: number, i: number): InferenceEvent => ({
  prediction_id: `e${i}`,
  model_id: 'm',
  model_version: 'v1',
  timestamp: i,
  features: { x },
  prediction: { label: 'a', value: null },
});

function profileFor(values: number[]) {
  const b = new ProfileBuilder();
  values.forEach((x, i) => b.add(eventOf(x, i)));
  const built = b.build({ modelId: 'm', modelVersion: 'v1', source: 'test', createdAt: 0 }).profile;
  // As the service reads it: through the stored JSON.
  return profileFromJSON(JSON.parse(JSON.stringify(profileToJSON(built))));
}

/** The window as three partitions' partials, each through its stored JSON, merged as at window close. */
function mergedWindow(profile: ReturnType<typeof profileFor>, values: number[], exactValues?: number) {
  const parts = [0, 1, 2].map(() => new WindowPartial(profile, exactValues));
  values.forEach((x, i) => parts[i % 3]!.update(eventOf(x, i)));
  const merged = new WindowPartial(profile, exactValues);
  for (const p of parts)
    merged.merge(WindowPartial.fromJSON(profile, JSON.parse(JSON.stringify(p.toJSON())), exactValues));
  return merged;
}

function ksRow(profile: ReturnType<typeof profileFor>, window: WindowPartial) {
  const column = evaluateWindow(profile, window, testConfig()).columns.find((c) => c.name === 'x')!;
  return column.rows.find((r) => r.method === 'ks')!;
}

describe('KS on raw window values', () => {
  for (const c of fixture.cases) {
    it(`shouldEqualScipyKs2sampWhenTheWindowIsSmall: ${c.name}`, () => {
      const profile = profileFor(fixture.references[c.reference]!);
      const row = ksRow(profile, mergedWindow(profile, c.window));
      if (c.name.includes('summary')) {
        // 12,000 reference values: a 10,000-point quantile summary, statistic within 1/10,000.
        expect(row.basis).toBe('summary');
        expect(row.detail.error_bound).toBe(1e-4);
        expect(Math.abs(row.statistic - c.statistic)).toBeLessThanOrEqual(1e-4);
        expect(Math.abs(row.pValue! - c.p_value)).toBeLessThan(0.01);
      } else {
        expect(row.basis).toBe('exact');
        expect(row.statistic).toBeCloseTo(c.statistic, 12);
        expect(Math.abs(row.pValue! - c.p_value)).toBeLessThanOrEqual(1e-9 * Math.max(c.p_value, 1e-300));
      }
    });
  }

  it('shouldFallBackToTheBinnedBoundsWhenTheWindowHoldsMoreValuesThanItKeeps', () => {
    const c = fixture.cases.find((x) => x.name === 'normal 5000 vs 1000 shift 0.1')!;
    const profile = profileFor(fixture.references[c.reference]!);
    const window = mergedWindow(profile, c.window, 500);
    expect(window.samples.find((s) => s !== null)!.complete).toBe(false);
    const row = ksRow(profile, window);
    expect(row.basis).toBe('binned');
    expect(row.statistic).toBeLessThanOrEqual(c.statistic + 1e-12);
    expect(row.detail.upper_bound as number).toBeGreaterThanOrEqual(c.statistic - 1e-12);
  });

  it('shouldUseTheBinnedKsWhenTheProfileWasStoredWithoutValues', () => {
    const c = fixture.cases[0]!;
    const json = profileToJSON(profileFor(fixture.references[c.reference]!));
    for (const col of json.columns) delete (col as { sample?: unknown }).sample;
    const old = profileFromJSON(json);
    expect(ksRow(old, mergedWindow(old, c.window)).basis).toBe('binned');
  });
});

import { describe, expect, it } from 'vitest';
import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { mulberry32, normalGenerator } from '../../../services/core/src/stats/random.ts';
import { EMBEDDING_PREFIX, windowRows } from '../../../services/drift-monitor/src/rows.ts';
import { profileFromJSON, profileToJSON } from '../../../services/drift-monitor/src/profile.ts';
import { evaluateWindow } from '../../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../../services/drift-monitor/src/window-partials.ts';
import { profileOf, testConfig } from './helpers.ts';

const DIM = 384;
const space = mulberry32(7);
const spaceNormal = normalGenerator(space);
/** A fixed non-zero mean and per-dimension spreads decaying from 1 to 0.1, as embedding spectra do. */
const center = Array.from({ length: DIM }, () => 0.3 * spaceNormal());
const spread = Array.from({ length: DIM }, (_, i) => 0.1 + 0.9 * Math.exp(-i / 40));
/** Three random unit directions the shift moves along. */
const directions = [0, 1, 2].map(() => {
  const v = Array.from({ length: DIM }, () => spaceNormal());
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
});

/** Seeded events with a 384-d `text` embedding, its mean moved by `shift` along each of the 3 directions. */
function embeddingEvents(seed: number, count: number, shift = 0): InferenceEvent[] {
  const normal = normalGenerator(mulberry32(seed));
  return Array.from({ length: count }, (_, i) => {
    const text = center.map(
      (c, d) => c + spread[d]! * normal() + shift * directions.reduce((s, u) => s + u[d]!, 0),
    );
    return {
      prediction_id: `${seed}-${i}`,
      model_id: 'm',
      model_version: 'v1',
      timestamp: i,
      features: { x0: normal() },
      prediction: { label: 'a', scores: null, value: null },
      embeddings: { text: Array.from(Float32Array.from(text)) },
    };
  });
}

const profile = profileOf(embeddingEvents(1, 3000));

function verdict(events: InferenceEvent[]) {
  const w = new WindowPartial(profile);
  events.forEach((e) => w.update(e));
  return evaluateWindow(profile, w, testConfig()).embeddings[0]!;
}

describe('embedding drift', () => {
  it('shouldKeepMeansAndCalibrationButNoVectorWhenTheProfileIsStored', () => {
    const e = profile.embeddings![0]!;
    expect(e).toMatchObject({ name: 'text', count: 3000 });
    expect(e.mean.length).toBe(DIM);
    expect(e.calibration.sizes).toEqual([25, 50, 100, 200, 400, 800]);
    const back = profileFromJSON(JSON.parse(JSON.stringify(profileToJSON(profile))));
    const events = embeddingEvents(5, 200);
    expect(verdict(events)).toEqual(
      (() => {
        const w = new WindowPartial(back);
        events.forEach((x) => w.update(x));
        return evaluateWindow(back, w, testConfig()).embeddings[0];
      })(),
    );
  });

  it('shouldFlagAtMostTheCalibratedShareWhenTheStreamIsStationary', () => {
    let flagged = 0;
    const windows = 60;
    for (let s = 0; s < windows; s++)
      if (verdict(embeddingEvents(100 + s, 50 + 10 * s)).drifted) flagged += 1;
    // alpha = 0.01: 0.6 expected false alarms in 60 windows; 3 or more has probability < 2.5%.
    expect(flagged).toBeLessThanOrEqual(2);
  }, 60_000);

  it('shouldFlagEveryWindowWhenTheMeanMovesAlongThreeDirections', () => {
    for (let s = 0; s < 10; s++) {
      const v = verdict(embeddingEvents(300 + s, 300, 0.25));
      expect(v.drifted).toBe(true);
      expect(v.tests.find((t) => t.statistic === 'mean_euclidean')!.drifted).toBe(true);
    }
  });

  it('shouldEqualOneWindowWhenPartitionsMerge', () => {
    const events = embeddingEvents(400, 500, 0.25);
    const whole = new WindowPartial(profile);
    events.forEach((e) => whole.update(e));
    const a = new WindowPartial(profile);
    const b = new WindowPartial(profile);
    events.forEach((e, i) => (i % 3 === 0 ? a : b).update(e));
    const merged = a.merge(WindowPartial.fromJSON(profile, JSON.parse(JSON.stringify(b.toJSON()))));
    const [x, y] = [whole, merged].map((w) => evaluateWindow(profile, w, testConfig()).embeddings[0]!);
    x!.tests.forEach((t, i) => expect(y!.tests[i]!.value).toBeCloseTo(t.value, 10));
  });

  it('shouldWriteDistancesButNoVectorWhenAWindowCloses', () => {
    const events = embeddingEvents(500, 300, 0.25);
    events[0]!.embeddings = { text: [1, 2, 3] };
    const w = new WindowPartial(profile);
    events.forEach((e) => w.update(e));
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
      evaluateWindow(profile, w, testConfig()),
      { total: 300, excluded: 0, mismatched: 0 },
      0,
    ).filter((r) => r.feature === `${EMBEDDING_PREFIX}text`);
    expect(rows.map((r) => [r.method, r.decisive, r.drifted])).toEqual([
      ['mmd', 1, 1],
      ['mean_euclidean', 0, 1],
      ['mean_cosine', 0, expect.any(Number)],
    ]);
    expect(rows[0]).toMatchObject({ sample_count: 299, feature_type: 'embedding' });
    expect(JSON.parse(rows[0]!.detail)).toEqual({ alpha: 0.01, missing: 1 });
    // Sums and x0's raw values (exact KS) only: the 300 vectors alone would take about 2 MB.
    expect(JSON.stringify(w.toJSON()).length).toBeLessThan(50_000);
  });
});

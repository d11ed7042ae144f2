import { describe, expect, it } from 'vitest';
import type { NumericHistogram } from '../../../services/core/src/stats/numeric-histogram.ts';
import { mulberry32 } from '../../../services/core/src/stats/random.ts';
import { WindowPartial } from '../../../services/drift-monitor/src/window-partials.ts';
import { events, profileOf } from './helpers.ts';

const profile = profileOf(events({ seed: 1, count: 5000 }));

function counts(p: WindowPartial) {
  return p.states.map((s) => {
    const j = s.toJSON();
    return 'edges' in j ? { counts: j.counts, n: j.n, missing: j.missing, min: j.min, max: j.max } : j;
  });
}

describe('WindowPartial', () => {
  it('shouldCountEveryValueOfEveryColumnWhenUpdated', () => {
    const p = new WindowPartial(profile);
    const win = events({ seed: 2, count: 1000 });
    win.forEach((e) => p.update(e));
    expect(p.events).toBe(1000);
    for (const s of p.states) expect(s.total).toBe(1000);
  });

  it('shouldEqualTheSinglePassStateWhenPartialsOfRandomPartitionsAreMerged', () => {
    const win = events({ seed: 3, count: 3000, shift: 0.3 });
    const single = new WindowPartial(profile);
    win.forEach((e) => single.update(e));
    const parts = [0, 1, 2].map(() => new WindowPartial(profile));
    const rng = mulberry32(9);
    win.forEach((e) => parts[Math.floor(rng() * 3)]!.update(e));
    const merged = new WindowPartial(profile).merge(parts[0]!).merge(parts[1]!).merge(parts[2]!);
    expect(merged.events).toBe(single.events);
    expect(counts(merged)).toEqual(counts(single));
    merged.states.forEach((s, i) => {
      if (!('edges' in s)) return;
      const h = s as NumericHistogram;
      const o = single.states[i] as NumericHistogram;
      expect(h.mean).toBeCloseTo(o.mean, 12);
      expect(h.std).toBeCloseTo(o.std, 12);
      h.binSums.forEach((v, k) => expect(v).toBeCloseTo(o.binSums[k]!, 9));
    });
  });

  it('shouldHoldTheSameStateBitForBitWhenFedInBlocksOrOneEventAtATime', () => {
    const win = events({ seed: 5, count: 1300, shift: 0.2 });
    win[7] = { ...win[7]!, features: { ...win[7]!.features, x0: 'oops', x1: Number.NaN, plan: true } };
    const one = new WindowPartial(profile);
    win.forEach((e) => one.update(e));
    const all = new WindowPartial(profile);
    all.updateMany(win);
    const uneven = new WindowPartial(profile);
    for (const size of [1, 300, 255, 744]) uneven.updateMany(win.splice(0, size));
    expect(profile.multivariate).toBeDefined();
    expect(all.toJSON()).toEqual(one.toJSON());
    expect(uneven.toJSON()).toEqual(one.toJSON());
    expect(one.mismatched).toBe(1);
  });

  it('shouldRestoreExactlyWhatItStoredWhenReadBackThroughJson', () => {
    const p = new WindowPartial(profile);
    events({ seed: 4, count: 700 }).forEach((e) => p.update(e));
    const back = WindowPartial.fromJSON(profile, JSON.parse(JSON.stringify(p.toJSON())));
    expect(back.toJSON()).toEqual(p.toJSON());
  });

  it('shouldCountAStringForANumericFeatureAsMissingAndMismatched', () => {
    const p = new WindowPartial(profile);
    p.update({ features: { x0: 'oops', plan: 7 }, prediction: { label: null } });
    const x0 = p.states[profile.columns.findIndex((c) => c.name === 'x0')]!;
    const plan = p.states[profile.columns.findIndex((c) => c.name === 'plan')]!;
    expect(x0.missing).toBe(1);
    expect(p.mismatched).toBe(1);
    expect(plan.toJSON()).toMatchObject({ counts: [['7', 1]] });
  });

  it('shouldRefuseToMergeOrRestorePartialsOfAnotherProfile', () => {
    const other = profileOf(events({ seed: 8, count: 500 }));
    expect(() => new WindowPartial(profile).merge(new WindowPartial(other))).toThrow('cannot merge');
    expect(() => WindowPartial.fromJSON(other, new WindowPartial(profile).toJSON())).toThrow(
      'read with profile',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { NumericHistogram } from '../../../services/core/src/stats/numeric-histogram.ts';
import { referenceBins } from '../../../services/core/src/stats/reference-bins.ts';
import { ProfileBuilder } from '../../../services/drift-monitor/src/profile-builder.ts';
import { profileFromJSON, profileToJSON } from '../../../services/drift-monitor/src/profile.ts';
import { events } from './helpers.ts';

const build = (b: ProfileBuilder, bins = 10) =>
  b.build({ modelId: 'm', modelVersion: 'v1', bins, source: 'test', createdAt: 1 });

describe('ProfileBuilder', () => {
  it('shouldTakeBinEdgesFromReferenceQuantilesWhenAColumnIsNumeric', () => {
    const ref = events({ seed: 1, count: 2000 });
    const b = new ProfileBuilder();
    ref.forEach((e) => b.add(e));
    const { profile } = build(b);
    const x0 = profile.columns.find((c) => c.name === 'x0')!;
    expect(x0.kind).toBe('numeric');
    const expected = referenceBins(
      ref.map((e) => e.features.x0 as number),
      10,
    );
    expect(Array.from((x0.reference as NumericHistogram).edges)).toEqual(Array.from(expected.edges));
    expect(x0.reference.n).toBe(2000);
    expect((x0.reference as NumericHistogram).mean).toBeCloseTo(
      ref.reduce((s, e) => s + (e.features.x0 as number), 0) / 2000,
      12,
    );
  });

  it('shouldMakeColumnsForTheLabelAndEachScoreWhenTheModelIsAClassifier', () => {
    const b = new ProfileBuilder();
    events({ seed: 2, count: 100, features: 1 }).forEach((e) => b.add(e));
    const { profile } = build(b);
    expect(profile.columns.map((c) => [c.name, c.role, c.kind])).toEqual([
      ['__prediction__', 'prediction', 'categorical'],
      ['__score__:a', 'score', 'numeric'],
      ['__score__:b', 'score', 'numeric'],
      ['plan', 'feature', 'categorical'],
      ['x0', 'feature', 'numeric'],
    ]);
  });

  it('shouldCountAbsentNullAndNonFiniteValuesAsMissing', () => {
    const b = new ProfileBuilder();
    b.add({ features: { a: 1, c: 'x' }, prediction: { value: 3 } });
    b.add({ features: { a: null, c: true }, prediction: { value: 4 } });
    b.add({ features: { a: Number.NaN, b: 2 }, prediction: { value: 5 } });
    const { profile } = build(b, 2);
    const byName = Object.fromEntries(profile.columns.map((c) => [c.name, c]));
    expect(byName.a!.reference.missing).toBe(2);
    expect(byName.b!.reference.missing).toBe(2);
    expect(byName.c!.kind).toBe('categorical');
    expect(byName.c!.reference.missing).toBe(1);
    expect(byName.__prediction__!.kind).toBe('numeric');
    expect(byName.__prediction__!.role).toBe('prediction');
  });

  it('shouldSkipColumnsWithoutValuesAndReservedNames', () => {
    const b = new ProfileBuilder();
    b.add({ features: { a: null, __x: 1, b: 1 }, prediction: {} });
    const { profile, skipped } = build(b, 2);
    expect(profile.columns.map((c) => c.name)).toEqual(['b']);
    expect(skipped.map((s) => s.name).sort()).toEqual(['__x', 'a']);
  });

  it('shouldGiveTheSameIdWhenTheDataIsTheSameAndAnotherWhenItDiffers', () => {
    const make = (seed: number) => {
      const b = new ProfileBuilder();
      events({ seed, count: 300 }).forEach((e) => b.add(e));
      return build(b).profile.profileId;
    };
    expect(make(3)).toBe(make(3));
    expect(make(3)).not.toBe(make(4));
  });

  it('shouldReadBackExactlyWhatItStored', () => {
    const b = new ProfileBuilder();
    events({ seed: 5, count: 500 }).forEach((e) => b.add(e));
    const { profile } = build(b);
    const json = JSON.parse(JSON.stringify(profileToJSON(profile)));
    expect(profileToJSON(profileFromJSON(json))).toEqual(profileToJSON(profile));
  });

  it('shouldRefuseAProfileOfAnotherFormat', () => {
    expect(() => profileFromJSON({ version: 2, model_id: 'm', model_version: 'v' })).toThrow(
      'reference profile of m@v',
    );
  });
});

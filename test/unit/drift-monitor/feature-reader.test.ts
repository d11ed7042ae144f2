import { describe, expect, it } from 'vitest';
import {
  ABSENT,
  NUMBER,
  OTHER_TYPE,
  featureReader,
} from '../../../services/drift-monitor/src/feature-reader.ts';

const read = (numeric: string[], categorical: string[], features: Record<string, unknown>) => {
  const numbers = new Float64Array(numeric.length).fill(-1);
  const kinds = new Uint8Array(numeric.length).fill(9);
  const others: unknown[] = categorical.map(() => 'stale');
  featureReader(numeric, categorical)(features as never, numbers, kinds, others);
  return { numbers: Array.from(numbers), kinds: Array.from(kinds), others };
};

describe('featureReader', () => {
  it('shouldCopyNumbersAndTheirKindsWhenFeaturesAreNumericAbsentOrMistyped', () => {
    const out = read(['a', 'b', 'c', 'd', 'e'], [], { a: 1.5, b: null, d: 'x', e: Number.NaN });
    expect(out.kinds).toEqual([NUMBER, ABSENT, ABSENT, OTHER_TYPE, NUMBER]);
    expect(out.numbers[0]).toBe(1.5);
    expect(Number.isNaN(out.numbers[4])).toBe(true);
  });

  it('shouldReadNamesThatNeedQuotingWhenTheReaderIsGenerated', () => {
    const names = ["it's", 'a"b', 'back\\slash', 'line\nbreak', '${x}', '`tick`'];
    const features = Object.fromEntries(names.map((n, i) => [n, i + 0.25]));
    const out = read(names, ['"cat"'], { ...features, '"cat"': 'red' });
    expect(out.numbers).toEqual(names.map((_, i) => i + 0.25));
    expect(out.others).toEqual(['red']);
  });

  it('shouldOverwriteEveryCategoricalSlotWhenAFeatureIsMissing', () => {
    const out = read(['x'], ['c0', 'c1'], { x: 2, c1: 'b' });
    expect(out.others).toEqual([undefined, 'b']);
  });

  it('shouldReadTheSameWhenThereAreTooManyFeaturesToGenerate', () => {
    const numeric = Array.from({ length: 300 }, (_, i) => `x${i}`);
    const features: Record<string, unknown> = { c: 'k' };
    numeric.forEach((n, i) => (features[n] = i % 7 === 0 ? null : i % 11 === 0 ? 'bad' : i / 3));
    const many = read(numeric, ['c'], features);
    const few = numeric.map((n) => read([n], [], features));
    expect(many.kinds).toEqual(few.map((f) => f.kinds[0]));
    expect(many.numbers.filter((_, i) => many.kinds[i] === NUMBER)).toEqual(
      few.filter((f) => f.kinds[0] === NUMBER).map((f) => f.numbers[0]),
    );
    expect(many.others).toEqual(['k']);
  });
});

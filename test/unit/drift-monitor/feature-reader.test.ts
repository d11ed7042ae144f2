import { describe, expect, it } from 'vitest';
import { featureReader } from '../../../services/drift-monitor/src/feature-reader.ts';

/** Reads the events' features with a block reader: the numeric columns, the categorical ones, mismatches. */
const read = (numeric: string[], categorical: string[], ...events: Record<string, unknown>[]) => {
  const stride = events.length + 1;
  const numbers = new Float64Array(numeric.length * stride).fill(-1);
  const others: unknown[] = new Array<unknown>(categorical.length * stride).fill('stale');
  const batch = events.map((features) => ({ features: features as never }));
  const mismatched = featureReader(numeric, categorical)(batch, 0, batch.length, numbers, others, stride);
  const column = <T>(values: ArrayLike<T>, j: number) =>
    Array.from({ length: events.length }, (_, r) => values[j * stride + r] as T);
  return {
    numbers: numeric.map((_, j) => column(numbers, j)),
    others: categorical.map((_, j) => column(others, j)),
    mismatched,
  };
};

describe('featureReader', () => {
  it('shouldCopyNumbersAndCountMistypedValuesWhenFeaturesAreNumericAbsentOrMistyped', () => {
    const out = read(['a', 'b', 'c', 'd', 'e'], [], { a: 1.5, b: null, d: 'x', e: Number.POSITIVE_INFINITY });
    expect(out.numbers.map((c) => c[0])).toEqual([1.5, NaN, NaN, NaN, Number.POSITIVE_INFINITY]);
    expect(out.mismatched).toBe(1);
  });

  it('shouldWriteEachEventOfTheBlockInItsRowWhenReadingSeveralEvents', () => {
    const out = read(['x'], ['c'], { x: 1, c: 'a' }, { x: 'bad', c: 'b' }, { c: 3 });
    expect(out.numbers).toEqual([[1, NaN, NaN]]);
    expect(out.others).toEqual([['a', 'b', 3]]);
    expect(out.mismatched).toBe(1);
  });

  it('shouldReadNamesThatNeedQuotingWhenTheReaderIsGenerated', () => {
    const names = ["it's", 'a"b', 'back\\slash', 'line\nbreak', '${x}', '`tick`'];
    const features = Object.fromEntries(names.map((n, i) => [n, i + 0.25]));
    const out = read(names, ['"cat"'], { ...features, '"cat"': 'red' });
    expect(out.numbers.map((c) => c[0])).toEqual(names.map((_, i) => i + 0.25));
    expect(out.others).toEqual([['red']]);
  });

  it('shouldOverwriteEveryCategoricalSlotWhenAFeatureIsMissing', () => {
    const out = read(['x'], ['c0', 'c1'], { x: 2, c1: 'b' });
    expect(out.others).toEqual([[undefined], ['b']]);
  });

  it('shouldReadTheSameWhenThereAreTooManyFeaturesToGenerate', () => {
    const numeric = Array.from({ length: 300 }, (_, i) => `x${i}`);
    const features: Record<string, unknown> = { c: 'k' };
    numeric.forEach((n, i) => (features[n] = i % 7 === 0 ? null : i % 11 === 0 ? 'bad' : i / 3));
    const many = read(numeric, ['c'], features, { ...features, c: 'j' });
    const few = numeric.map((n) => read([n], [], features, features));
    expect(many.numbers).toEqual(few.map((f) => f.numbers[0]));
    expect(many.mismatched).toBe(few.reduce((s, f) => s + f.mismatched, 0));
    expect(many.others).toEqual([['k', 'j']]);
  });
});

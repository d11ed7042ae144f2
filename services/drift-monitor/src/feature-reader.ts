import type { InferenceEvent } from '../../core/src/records/records.generated.ts';

/** The events a reader takes: what the decoder hands on, or a subset of it. */
export type FeatureEvents = readonly Pick<InferenceEvent, 'features'>[];

/**
 * Copies the input features of events [from, to), in a profile's order, into column buffers of a block of
 * events: numeric feature j of the block's r-th event at `numbers[j * stride + r]` (NaN when absent, null or
 * not a number: the histograms count NaN as missing), categorical feature j's value as it is at
 * `categorical[j * stride + r]`. Returns how many numeric values were of another type (a string for a numeric
 * feature), which a window counts as mismatched.
 */
export type FeatureReader = (
  events: FeatureEvents,
  from: number,
  to: number,
  numbers: Float64Array,
  categorical: unknown[],
  stride: number,
) => number;

/** Beyond this many features the generated reader grows past what the compiler optimizes well. */
const MAX_GENERATED = 256;

/**
 * The reader of a profile's features. It reads each feature by its own name in its own statement,
 * generated once per profile: `features[name]` with the name varying in a loop is one load site seeing every
 * name, which V8 resolves through its generic cache (about 14 ns a read on objects in cache), where a site
 * per name learns the events' one hidden class (about 1 ns). Names are JSON string literals, quoted safely
 * whatever they hold; the loads are the same property reads (`f["__proto__"]` included). One call reads a
 * block of events into columns, so that the window's states then run one tight loop per column.
 */
export function featureReader(numeric: readonly string[], categorical: readonly string[]): FeatureReader {
  if (numeric.length + categorical.length > MAX_GENERATED) return genericReader(numeric, categorical);
  const numbers = numeric.map(
    (name, i) =>
      `v = f[${JSON.stringify(name)}]; if (typeof v === 'number') n[${i} * s + r] = v; ` +
      `else { n[${i} * s + r] = NaN; if (v !== null && v !== undefined) m++; }`,
  );
  const others = categorical.map((name, j) => `c[${j} * s + r] = f[${JSON.stringify(name)}];`);
  const body =
    `let m = 0; for (let e = from, r = 0; e < to; e++, r++) { const f = events[e].features; let v; ` +
    `${numbers.join(' ')} ${others.join(' ')} } return m;`;
  return new Function('events', 'from', 'to', 'n', 'c', 's', body) as FeatureReader;
}

/** The same reads in a loop, for profiles with very many features. */
function genericReader(numeric: readonly string[], categorical: readonly string[]): FeatureReader {
  return (events, from, to, n, c, s) => {
    let mismatched = 0;
    for (let e = from, r = 0; e < to; e++, r++) {
      const f = (events[e] as Pick<InferenceEvent, 'features'>).features;
      for (let i = 0; i < numeric.length; i++) {
        const v = f[numeric[i] as string];
        if (typeof v === 'number') n[i * s + r] = v;
        else {
          n[i * s + r] = NaN;
          if (v !== null && v !== undefined) mismatched++;
        }
      }
      for (let j = 0; j < categorical.length; j++) c[j * s + r] = f[categorical[j] as string];
    }
    return mismatched;
  };
}

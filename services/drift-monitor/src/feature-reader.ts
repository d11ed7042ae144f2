import type { InferenceEvent } from '../../core/src/records/records.generated.ts';

/** What a numeric feature's value was: a number (in `numbers`), absent or null, or of another type. */
export const NUMBER = 0;
export const ABSENT = 1;
export const OTHER_TYPE = 2;

/**
 * Copies the values of one event's features, in a profile's order, into reusable buffers: numbers into a
 * typed array (no boxing) with their kind beside, and the categorical features' values as they are.
 */
export type FeatureReader = (
  features: InferenceEvent['features'],
  numbers: Float64Array,
  kinds: Uint8Array,
  categorical: unknown[],
) => void;

/** Beyond this many features the generated reader grows past what the compiler optimizes well. */
const MAX_GENERATED = 256;

/**
 * The reader of a profile's features. It reads each feature by its own name in its own statement,
 * generated once per profile: `features[name]` with the name varying in a loop is one load site seeing every
 * name, which V8 resolves through its generic cache (about 14 ns a read on objects in cache), where a site
 * per name learns the events' one hidden class (about 1 ns). Names are JSON string literals, quoted safely
 * whatever they hold; the loads are the same property reads (`f["__proto__"]` included).
 */
export function featureReader(numeric: readonly string[], categorical: readonly string[]): FeatureReader {
  if (numeric.length + categorical.length > MAX_GENERATED) return genericReader(numeric, categorical);
  const numbers = numeric.map(
    (name, i) =>
      `v = f[${JSON.stringify(name)}]; if (typeof v === 'number') { n[${i}] = v; k[${i}] = ${NUMBER}; } ` +
      `else k[${i}] = v === null || v === undefined ? ${ABSENT} : ${OTHER_TYPE};`,
  );
  const others = categorical.map((name, j) => `c[${j}] = f[${JSON.stringify(name)}];`);
  const body = `let v; ${numbers.join(' ')} ${others.join(' ')}`;
  return new Function('f', 'n', 'k', 'c', body) as FeatureReader;
}

/** The same reads in a loop, for profiles with very many features. */
function genericReader(numeric: readonly string[], categorical: readonly string[]): FeatureReader {
  return (f, n, k, c) => {
    for (let i = 0; i < numeric.length; i++) {
      const v = f[numeric[i] as string];
      if (typeof v === 'number') {
        n[i] = v;
        k[i] = NUMBER;
      } else k[i] = v === null || v === undefined ? ABSENT : OTHER_TYPE;
    }
    for (let j = 0; j < categorical.length; j++) c[j] = f[categorical[j] as string];
  };
}

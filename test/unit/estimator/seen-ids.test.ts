import { describe, expect, it } from 'vitest';
import { SeenIds } from '../../../services/estimator/src/seen-ids.ts';

describe('the ids a partial state has counted', () => {
  it('shouldAddAnIdOnceAndReportItsRepeatsWhenTheTableGrowsPastItsCapacity', () => {
    const ids = new SeenIds(4);
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(ids.add(`p-${i}`)).toBe(true);
    expect(ids.size).toBe(n);
    let repeats = 0;
    for (let i = 0; i < n; i++) if (!ids.add(`p-${i}`)) repeats += 1;
    expect(repeats).toBe(n);
    expect(ids.has('p-49999')).toBe(true);
    expect(ids.has('p-50000')).toBe(false);
    expect(ids.size).toBe(n);
  });

  it('shouldTellApartIdsThatDifferOnlyInOrderCaseOrNonAsciiCharacters', () => {
    const ids = new SeenIds();
    for (const id of ['ab', 'ba', 'AB', 'a\u00e9', 'a\u00c9', '', 'a'.repeat(1000), 'a'.repeat(1001)])
      expect(ids.add(id)).toBe(true);
    expect(ids.add('')).toBe(false);
    expect(ids.size).toBe(8);
  });

  // With 32-bit fingerprints about 116 collisions would be expected here; with 64 bits, 3 in 100 million runs.
  it('shouldSeeNoFingerprintCollisionAmongAMillionSequentialIds', () => {
    const ids = new SeenIds(1 << 20);
    let collisions = 0;
    for (let i = 0; i < 1_000_000; i++)
      if (!ids.add(`9f1c2e4a-${i.toString(16).padStart(8, '0')}`)) collisions++;
    expect(collisions).toBe(0);
  });
});

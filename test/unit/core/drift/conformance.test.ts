/**
 * One contract, every detector (after River's `river/checks/`): no false alarm on a constant
 * stream, an abrupt shift is caught, the detector resets itself on the update after a drift, and
 * a toJSON/fromJSON checkpoint anywhere in the stream changes nothing.
 */
import { describe, expect, it } from 'vitest';

import { ADWIN } from '../../../../services/core/src/drift/adwin.ts';
import { DDM } from '../../../../services/core/src/drift/ddm.ts';
import type { AnyDriftDetector } from '../../../../services/core/src/drift/detector.ts';
import {
  InvalidDetectorStateError,
  InvalidDriftInputError,
} from '../../../../services/core/src/drift/errors.ts';
import { NoDrift } from '../../../../services/core/src/drift/no-drift.ts';
import { PageHinkley } from '../../../../services/core/src/drift/page-hinkley.ts';
import { createDetector, detectorFromJSON } from '../../../../services/core/src/drift/registry.ts';
import type { DetectorName } from '../../../../services/core/src/drift/registry.ts';
import { bernoulliStream, normalStream, replay, seededRandom, viaJson } from './helpers.ts';

interface Case {
  readonly name: DetectorName;
  readonly make: () => AnyDriftDetector;
  readonly fromJSON: (json: unknown) => AnyDriftDetector;
  readonly constants: readonly number[];
  /** A stream that changes abruptly at `SHIFT_AT`; null for the null detector. */
  readonly shifted: readonly number[] | null;
}

const SHIFT_AT = 1000;
const numericShift = (): number[] => {
  const rand = seededRandom(7);
  return [...normalStream(rand, 0, 0.2, SHIFT_AT), ...normalStream(rand, 1, 0.2, SHIFT_AT)];
};
const binaryShift = (): number[] => {
  const rand = seededRandom(7);
  return [...bernoulliStream(rand, 0.1, SHIFT_AT), ...bernoulliStream(rand, 0.5, SHIFT_AT)];
};

const CASES: readonly Case[] = [
  {
    name: 'adwin',
    make: () => new ADWIN(),
    fromJSON: ADWIN.fromJSON,
    constants: [0, 0.25, 7],
    shifted: numericShift(),
  },
  {
    name: 'page_hinkley',
    make: () => new PageHinkley(),
    fromJSON: PageHinkley.fromJSON,
    constants: [0, 0.25, 7],
    shifted: numericShift(),
  },
  { name: 'ddm', make: () => new DDM(), fromJSON: DDM.fromJSON, constants: [0, 1], shifted: binaryShift() },
  {
    name: 'no_drift',
    make: () => new NoDrift(),
    fromJSON: NoDrift.fromJSON,
    constants: [0, 7],
    shifted: null,
  },
];

/** Any stream on which the detector fires at least once, for the reset and checkpoint checks. */
const firingStream = (c: Case): readonly number[] => c.shifted ?? numericShift();

describe.each(CASES)('$name conforms to the detector contract', (c) => {
  it('is what the registry creates under its name', () => {
    const d = c.make();
    expect(d.kind).toBe(c.name);
    expect(createDetector(c.name).toJSON()).toEqual(d.toJSON());
  });

  it('never fires on a constant stream', () => {
    for (const x of c.constants) {
      const values = Array.from({ length: 5000 }, () => x);
      expect(replay(c.make(), values).drifts).toEqual([]);
    }
  });

  it('fires soon after an abrupt shift and not before (the null detector: never)', () => {
    const { drifts } = replay(c.make(), firingStream(c));
    if (c.shifted === null) return expect(drifts).toEqual([]);
    const first = drifts[0] ?? -1;
    expect(first).toBeGreaterThanOrEqual(SHIFT_AT);
    expect(first).toBeLessThan(SHIFT_AT + 200);
  });

  it('resets itself on the update after a drift', () => {
    const values = firingStream(c);
    const d = c.make();
    const i = values.findIndex((x) => d.update(x).driftDetected);
    if (c.shifted === null) return expect(i).toBe(-1);
    const next = values[i + 1] as number;
    d.update(next);
    expect(d.driftDetected).toBe(false);
    expect(d.toJSON()).toEqual(c.make().update(next).toJSON());
  });

  it('reset() returns to the initial state, keeping the params', () => {
    const d = c.make();
    for (const x of firingStream(c).slice(0, 500)) d.update(x);
    d.reset();
    expect(d.toJSON()).toEqual(c.make().toJSON());
  });

  it('resumes from a JSON checkpoint anywhere with the same detections and state', () => {
    const values = firingStream(c);
    const whole = c.make();
    const expected = replay(whole, values);
    const cuts = [0, 1, 517, ...expected.drifts.flatMap((i) => [i, i + 1]), values.length - 1];
    for (const cut of cuts) {
      const head = c.make();
      const before = replay(head, values.slice(0, cut + 1));
      for (const restore of [c.fromJSON, detectorFromJSON]) {
        const resumed = restore(viaJson(head));
        const after = replay(resumed, values, cut + 1);
        expect([...before.drifts, ...after.drifts], `cut at ${cut}`).toEqual(expected.drifts);
        expect([...before.warnings, ...after.warnings], `cut at ${cut}`).toEqual(expected.warnings);
        expect(resumed.toJSON(), `cut at ${cut}`).toEqual(whole.toJSON());
      }
    }
  });

  it('keeps its snapshot JSON-safe (no Infinity or NaN), fresh or busy', () => {
    const d = c.make();
    expect(viaJson(d)).toEqual(d.toJSON());
    for (const x of firingStream(c).slice(0, 100)) d.update(x);
    expect(viaJson(d)).toEqual(d.toJSON());
  });

  it('refuses snapshots of another kind, version or shape', () => {
    const snap = c.make().toJSON();
    const other = c.name === 'adwin' ? new PageHinkley().toJSON() : new ADWIN().toJSON();
    expect(() => c.fromJSON(other)).toThrow(InvalidDetectorStateError);
    expect(() => c.fromJSON({ ...snap, version: 2 })).toThrow(/unsupported version 2/);
    expect(() => c.fromJSON(null)).toThrow(InvalidDetectorStateError);
    expect(() => c.fromJSON({ ...snap, params: { nope: 1 } })).toThrow(/unknown param 'nope'/);
    if (Object.keys(snap.state).length > 0) {
      expect(() => c.fromJSON({ ...snap, state: { ...snap.state, driftDetected: 'yes' } })).toThrow(
        /'driftDetected' must be a boolean/,
      );
    }
  });

  it('rejects non-finite input without touching its state, even right after a drift', () => {
    const values = firingStream(c);
    const d = c.make();
    const i = values.findIndex((x) => d.update(x).driftDetected);
    const before = d.toJSON();
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => d.update(bad)).toThrow(InvalidDriftInputError);
    }
    expect(d.toJSON()).toEqual(before);
    expect(d.driftDetected).toBe(i >= 0);
  });

  it('returns itself from update() so calls chain', () => {
    const d = c.make();
    expect(d.update(c.constants[0] ?? 0)).toBe(d);
  });
});

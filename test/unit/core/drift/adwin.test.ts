import { describe, expect, it } from 'vitest';

import { ADWIN } from '../../../../services/core/src/drift/adwin.ts';
import {
  InvalidDetectorParamError,
  InvalidDetectorStateError,
} from '../../../../services/core/src/drift/errors.ts';
import { camelParams, loadFixture, normalStream, replay, runsFor, seededRandom, viaJson } from './helpers.ts';

describe('ADWIN matches River (river.drift.ADWIN)', () => {
  it('mirrors the TSDoc example: River docstring stream fires at 1023', () => {
    const { values, provenance } = loadFixture('river-docstring-12345.json');
    expect(provenance.river).toBe('0.26.1');
    const adwin = new ADWIN();
    const fired = values.flatMap((x, i) => (adwin.update(x).driftDetected ? [i] : []));
    expect(fired).toEqual([1023]);
  });

  it.each(runsFor('adwin'))(
    'reports River’s drift indices and final window on $label',
    ({ fixture, run }) => {
      const adwin = new ADWIN(camelParams(run.params));
      expect(replay(adwin, fixture.values).drifts).toEqual(run.drifts);
      // Bit-for-bit: same operation order as River, so the running sums agree exactly.
      const { width, total, variance } = adwin.toJSON().state;
      expect({ width, total, variance }).toEqual(run.final);
    },
  );
});

describe('ADWIN window', () => {
  it('exposes width, total, mean and population variance', () => {
    const adwin = new ADWIN();
    for (const x of [1, 2, 3, 4, 5]) adwin.update(x);
    expect(adwin.width).toBe(5);
    expect(adwin.total).toBe(15);
    expect(adwin.estimation).toBe(3);
    expect(adwin.variance).toBeCloseTo(2, 12);
    expect(new ADWIN().estimation).toBe(0);
    expect(new ADWIN().variance).toBe(0);
  });

  it('compresses into at most maxBuckets buckets per row, summing to the width', () => {
    const adwin = new ADWIN({ maxBuckets: 3 });
    for (const x of normalStream(seededRandom(3), 0, 1, 1000)) adwin.update(x);
    const { rows, width } = adwin.toJSON().state;
    expect(width).toBe(1000);
    expect(rows.every((r) => r.totals.length <= 3)).toBe(true);
    expect(rows.reduce((sum, r, i) => sum + r.totals.length * 2 ** i, 0)).toBe(1000);
    expect(rows.length).toBeLessThan(12);
  });

  it('cuts the old sub-window at a drift, then starts afresh on the next update (River resets)', () => {
    const rand = seededRandom(11);
    const values = [...normalStream(rand, 0, 0.1, 500), ...normalStream(rand, 3, 0.1, 500)];
    const adwin = new ADWIN({ clock: 1 });
    const at = values.findIndex((x) => adwin.update(x).driftDetected);
    expect(at).toBeGreaterThanOrEqual(500);
    expect(adwin.width).toBeLessThan(at + 1);
    adwin.update(3);
    expect(adwin.width).toBe(1);
  });

  it('checks only every `clock` updates and after the grace period', () => {
    const values = [...Array<number>(20).fill(0), ...Array<number>(40).fill(10)];
    const every = replay(new ADWIN({ clock: 1, gracePeriod: 10 }), values).drifts;
    const sparse = replay(new ADWIN({ clock: 16, gracePeriod: 10 }), values).drifts;
    expect(every[0]).toBeGreaterThanOrEqual(20);
    expect(sparse.every((i) => (i + 1) % 16 === 0)).toBe(true);
    expect(sparse[0]).toBeGreaterThanOrEqual(every[0] ?? Infinity);
  });

  it('validates its params, naming the param', () => {
    expect(() => new ADWIN({ delta: 0 })).toThrow(InvalidDetectorParamError);
    expect(() => new ADWIN({ delta: 1.5 })).toThrow(
      /param 'delta' must be a finite number > 0 and < 1, got 1.5/,
    );
    expect(() => new ADWIN({ clock: 2.5 })).toThrow(/param 'clock' must be an integer >= 1/);
    expect(() => new ADWIN({ minWindowLength: 0 })).toThrow(/minWindowLength/);
    // River accepts 1 but its window then breaks (a panic in River 0.26): we refuse it up front.
    expect(() => new ADWIN({ maxBuckets: 1 })).toThrow(/param 'maxBuckets' must be an integer >= 2, got 1/);
  });

  it('refuses a snapshot whose buckets break the window invariants', () => {
    const adwin = new ADWIN();
    for (let i = 0; i < 40; i++) adwin.update(i % 3);
    const snap = viaJson(adwin) as { state: { width: number; rows: unknown[] } };
    expect(ADWIN.fromJSON(snap).toJSON()).toEqual(adwin.toJSON());
    expect(() => ADWIN.fromJSON({ ...snap, state: { ...snap.state, width: 41 } })).toThrow(
      InvalidDetectorStateError,
    );
    const rows = [{ totals: [], variances: [] }, ...snap.state.rows];
    expect(() => ADWIN.fromJSON({ ...snap, state: { ...snap.state, rows } })).toThrow(
      /'rows\[0\]' must be 1 to 5/,
    );
  });
});

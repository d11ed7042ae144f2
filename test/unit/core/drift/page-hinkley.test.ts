import { describe, expect, it } from 'vitest';

import { InvalidDetectorParamError } from '../../../../services/core/src/drift/errors.ts';
import { PageHinkley } from '../../../../services/core/src/drift/page-hinkley.ts';
import { camelParams, loadFixture, replay, runsFor } from './helpers.ts';

describe('PageHinkley matches River (river.drift.PageHinkley)', () => {
  it('mirrors the TSDoc example: River docstring stream fires at 1006', () => {
    const { values } = loadFixture('river-docstring-12345.json');
    const ph = new PageHinkley();
    const fired = values.flatMap((x, i) => (ph.update(x).driftDetected ? [i] : []));
    expect(fired).toEqual([1006]);
  });

  it.each(runsFor('page_hinkley'))(
    'reports River’s drift indices and final sums on $label',
    ({ fixture, run }) => {
      const ph = new PageHinkley(camelParams(run.params));
      expect(replay(ph, fixture.values).drifts).toEqual(run.drifts);
      const { driftDetected: _flag, ...state } = ph.toJSON().state;
      expect(state).toEqual(run.final);
    },
  );
});

describe('PageHinkley modes', () => {
  const upThenDown = [
    ...Array<number>(200).fill(0),
    ...Array<number>(200).fill(5),
    ...Array<number>(400).fill(0),
  ];
  const downOnly = [...Array<number>(200).fill(5), ...Array<number>(200).fill(0)];

  it("'up' sees only increases, 'down' only decreases, 'both' either", () => {
    expect(replay(new PageHinkley({ mode: 'up' }), downOnly).drifts).toEqual([]);
    expect(replay(new PageHinkley({ mode: 'down' }), downOnly).drifts).not.toEqual([]);
    expect(replay(new PageHinkley({ mode: 'both' }), downOnly).drifts).not.toEqual([]);
    expect(replay(new PageHinkley({ mode: 'up' }), upThenDown).drifts.length).toBeGreaterThan(0);
  });

  it('waits for minInstances values before signalling', () => {
    const jump = [0, 0, 0, 1000, 1000, 1000, 1000];
    expect(replay(new PageHinkley({ minInstances: 30 }), jump).drifts).toEqual([]);
    expect(replay(new PageHinkley({ minInstances: 4 }), jump).drifts[0]).toBe(3);
  });

  it('rejects an unknown mode, listing the valid ones', () => {
    expect(() => new PageHinkley({ mode: 'sideways' as 'up' })).toThrow(InvalidDetectorParamError);
    expect(() => new PageHinkley({ mode: 'sideways' as 'up' })).toThrow(
      /must be one of 'up', 'down', 'both'/,
    );
  });
});

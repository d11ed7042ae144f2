import { describe, expect, it } from 'vitest';

import { DDM } from '../../../../services/core/src/drift/ddm.ts';
import { InvalidDriftInputError } from '../../../../services/core/src/drift/errors.ts';
import { camelParams, loadFixture, replay, runsFor } from './helpers.ts';

describe('DDM matches River (river.drift.binary.DDM)', () => {
  it('mirrors the TSDoc example: River docstring stream warns first at 1084, fires at 1334', () => {
    const { values } = loadFixture('river-docstring-42.json');
    const ddm = new DDM();
    const bits = values as readonly (0 | 1)[];
    const fired = bits.flatMap((x, i) => (ddm.update(x).driftDetected ? [i] : []));
    expect(fired).toEqual([1334]);
    // River's docstring prints the first warning of each episode: 1084, then 1492 after the drift.
    const warnings = replay(new DDM(), values).warnings;
    expect(warnings[0]).toBe(1084);
    expect(warnings.find((i) => i > 1334)).toBe(1492);
  });

  it.each(runsFor('ddm'))('reports River’s drift and warning indices on $label', ({ fixture, run }) => {
    const ddm = new DDM(camelParams(run.params));
    const { drifts, warnings } = replay(ddm, fixture.values);
    expect(drifts).toEqual(run.drifts);
    expect(warnings).toEqual(run.warnings);
    const { driftDetected: _d, warningDetected: _w, ...state } = ddm.toJSON().state;
    expect(state).toEqual(run.final);
  });
});

describe('DDM signals', () => {
  it('is never warning and drifting at once, and clears the warning on reset', () => {
    const { values } = loadFixture('bernoulli-jumps.json');
    const ddm = new DDM();
    for (const x of values) {
      ddm.update(x as 0 | 1);
      expect(ddm.warningDetected && ddm.driftDetected).toBe(false);
    }
    ddm.reset();
    expect(ddm.warningDetected).toBe(false);
  });

  it('stays silent during the warm start', () => {
    const ddm = new DDM({ warmStart: 50 });
    const bits: (0 | 1)[] = [...Array<0>(25).fill(0), ...Array<1>(25).fill(1)];
    expect(replay(ddm, bits)).toEqual({ drifts: [], warnings: [] });
  });

  it('accepts only 0 and 1, naming the expected domain', () => {
    const ddm = new DDM();
    expect(() => ddm.update(0.5 as 0)).toThrow(InvalidDriftInputError);
    expect(() => ddm.update(2 as 1)).toThrow(/ddm: input must be 0 or 1, got 2/);
    expect(() => ddm.update(true as unknown as 1)).toThrow(InvalidDriftInputError);
    expect(ddm.toJSON()).toEqual(new DDM().toJSON());
  });
});

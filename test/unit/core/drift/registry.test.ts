import { describe, expect, it } from 'vitest';

import { ADWIN } from '../../../../services/core/src/drift/adwin.ts';
import { DDM } from '../../../../services/core/src/drift/ddm.ts';
import {
  InvalidDetectorParamError,
  InvalidDetectorStateError,
  UnknownDetectorError,
} from '../../../../services/core/src/drift/errors.ts';
import { NoDrift } from '../../../../services/core/src/drift/no-drift.ts';
import { PageHinkley } from '../../../../services/core/src/drift/page-hinkley.ts';
import {
  createDetector,
  DETECTOR_NAMES,
  describeDetector,
  detectorFromJSON,
} from '../../../../services/core/src/drift/registry.ts';

describe('createDetector', () => {
  it('knows adwin, page_hinkley, ddm and the null no_drift', () => {
    expect(DETECTOR_NAMES).toEqual(['adwin', 'page_hinkley', 'ddm', 'no_drift']);
    expect(createDetector('adwin')).toBeInstanceOf(ADWIN);
    expect(createDetector('page_hinkley')).toBeInstanceOf(PageHinkley);
    expect(createDetector('ddm')).toBeInstanceOf(DDM);
    expect(createDetector('no_drift')).toBeInstanceOf(NoDrift);
  });

  it('fills River’s defaults and applies overrides', () => {
    expect(createDetector('adwin').params).toEqual({
      delta: 0.002,
      clock: 32,
      maxBuckets: 5,
      minWindowLength: 5,
      gracePeriod: 10,
    });
    expect(createDetector('page_hinkley', { threshold: 20 }).params).toEqual({
      minInstances: 30,
      delta: 0.005,
      threshold: 20,
      alpha: 1 - 0.0001,
      mode: 'both',
    });
    expect(createDetector('ddm', {}).params).toEqual({
      warmStart: 30,
      warningThreshold: 2,
      driftThreshold: 3,
    });
  });

  it('throws on an unknown name, listing the valid names', () => {
    expect(() => createDetector('adwn')).toThrow(UnknownDetectorError);
    expect(() => createDetector('adwn')).toThrow(
      "unknown drift detector 'adwn'; valid detectors: adwin, page_hinkley, ddm, no_drift",
    );
    expect(() => createDetector('toString')).toThrow(UnknownDetectorError);
  });

  it('rejects unknown params by name, listing the valid ones', () => {
    const err = (() => {
      try {
        createDetector('adwin', { delta: 0.01, windowSize: 5 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InvalidDetectorParamError);
    expect(err).toMatchObject({ detector: 'adwin', param: 'windowSize', retriable: false });
    expect((err as Error).message).toBe(
      "adwin: unknown param 'windowSize'; valid params: delta, clock, maxBuckets, minWindowLength, gracePeriod",
    );
  });

  it("points River's snake_case names at ours", () => {
    expect(() => createDetector('adwin', { max_buckets: 3 })).toThrow(
      /unknown param 'max_buckets' \(did you mean 'maxBuckets'\?\)/,
    );
    expect(() => createDetector('no_drift', { delta: 1 })).toThrow(/unknown param 'delta'; valid params: $/);
  });

  it('rejects values of the wrong type or range, naming the param', () => {
    expect(() => createDetector('ddm', { warmStart: -1 })).toThrow(
      /param 'warmStart' must be an integer >= 0, got -1/,
    );
    expect(() => createDetector('ddm', { driftThreshold: '3' })).toThrow(/param 'driftThreshold' .* got '3'/);
    expect(() => createDetector('page_hinkley', { alpha: NaN })).toThrow(/param 'alpha'/);
    expect(() => createDetector('adwin', [] as unknown as Record<string, unknown>)).toThrow(
      /params must be an object/,
    );
  });
});

describe('describeDetector', () => {
  it('tells input domain and signals, for choosing a detector per model', () => {
    expect(describeDetector('ddm')).toMatchObject({ binary: true, warns: true });
    expect(describeDetector('adwin')).toMatchObject({ binary: false, warns: false });
    expect(describeDetector('page_hinkley').params.mode).toMatchObject({ default: 'both' });
  });
});

describe('detectorFromJSON', () => {
  it('restores any detector by its kind', () => {
    for (const name of DETECTOR_NAMES) {
      const d = createDetector(name);
      const restored = detectorFromJSON(JSON.parse(JSON.stringify(d)));
      expect(restored.constructor).toBe(d.constructor);
      expect(restored.toJSON()).toEqual(d.toJSON());
    }
  });

  it('rejects an unknown kind, listing the known ones', () => {
    expect(() => detectorFromJSON({ kind: 'kswin', version: 1, params: {}, state: {} })).toThrow(
      InvalidDetectorStateError,
    );
    expect(() => detectorFromJSON({ kind: 'kswin' })).toThrow(
      /valid kinds: adwin, page_hinkley, ddm, no_drift/,
    );
    expect(() => detectorFromJSON('adwin')).toThrow(InvalidDetectorStateError);
  });
});

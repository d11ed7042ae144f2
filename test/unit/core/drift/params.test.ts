import { describe, expect, it } from 'vitest';

import { InvalidDetectorParamError } from '../../../../services/core/src/drift/errors.ts';
import { resolveParams } from '../../../../services/core/src/drift/params.ts';
import type { ParamRules } from '../../../../services/core/src/drift/params.ts';

interface P {
  readonly rate: number;
  readonly count: number;
  readonly side: 'left' | 'right';
}

const RULES: ParamRules<P> = {
  rate: { kind: 'number', default: 0.5, min: 0, max: 1, exclusiveMax: true },
  count: { kind: 'number', default: 3, integer: true, min: 1 },
  side: { kind: 'enum', default: 'left', values: ['left', 'right'] },
};

describe('resolveParams', () => {
  it('fills defaults for missing and undefined fields, and freezes the result', () => {
    const p = resolveParams('demo', RULES, { count: 7, side: undefined });
    expect(p).toEqual({ rate: 0.5, count: 7, side: 'left' });
    expect(Object.isFrozen(p)).toBe(true);
    expect(resolveParams('demo', RULES, undefined)).toEqual({ rate: 0.5, count: 3, side: 'left' });
  });

  it('describes the allowed range in its messages', () => {
    expect(() => resolveParams('demo', RULES, { rate: 1 })).toThrow(
      "demo: param 'rate' must be a finite number >= 0 and < 1, got 1",
    );
    expect(() => resolveParams('demo', RULES, { count: 0 })).toThrow(
      "param 'count' must be an integer >= 1, got 0",
    );
    expect(() => resolveParams('demo', RULES, { side: 'up' })).toThrow(
      "must be one of 'left', 'right', got 'up'",
    );
    expect(() => resolveParams('demo', RULES, { rate: null })).toThrow(/got null/);
  });

  it('throws a non-retriable InvalidDetectorParamError naming the param', () => {
    try {
      resolveParams('demo', RULES, { cout: 2 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidDetectorParamError);
      expect(e).toMatchObject({ name: 'InvalidDetectorParamError', param: 'cout', retriable: false });
    }
  });
});

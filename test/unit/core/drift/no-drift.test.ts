import { describe, expect, it } from 'vitest';

import { NoDrift } from '../../../../services/core/src/drift/no-drift.ts';

describe('NoDrift', () => {
  it('mirrors the TSDoc example: never signals', () => {
    const off = new NoDrift();
    expect([0, 1, 100, -5].some((x) => off.update(x).driftDetected)).toBe(false);
  });

  it('takes no params and reports a misspelt one', () => {
    expect(() => new NoDrift({ delta: 0.1 } as never)).toThrow(/no_drift: unknown param 'delta'/);
  });
});

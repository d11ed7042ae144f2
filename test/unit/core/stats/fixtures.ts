import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/stats/', import.meta.url));

/** Read a committed reference fixture (see test/fixtures/generate/stats_reference.py). */
export function loadFixture<T>(name: string): T & { provenance: { scipy: string } } {
  return JSON.parse(readFileSync(FIXTURES + name, 'utf8')) as T & { provenance: { scipy: string } };
}

/** The integer-formula samples the generator uses for large KS cases. */
export interface GeneratedSpec {
  n: number;
  mult: number;
  mod: number;
  scale: number;
  offset: number;
}

export function generated(spec: GeneratedSpec): Float64Array {
  const out = new Float64Array(spec.n);
  for (let i = 1; i <= spec.n; i++)
    out[i - 1] = (((i * spec.mult) % spec.mod) / spec.mod) * spec.scale + spec.offset;
  return out;
}

/** |actual − expected| ≤ max(abs, rel·|expected|). */
export function expectClose(
  actual: number,
  expected: number,
  tol: { rel?: number; abs?: number },
  label = '',
): void {
  const allowed = Math.max(tol.abs ?? 0, (tol.rel ?? 0) * Math.abs(expected));
  const error = Math.abs(actual - expected);
  expect(Number.isFinite(actual), `${label}: ${actual} is not finite`).toBe(Number.isFinite(expected));
  if (Number.isFinite(expected)) {
    expect(error, `${label}: got ${actual}, expected ${expected} (allowed ${allowed})`).toBeLessThanOrEqual(
      allowed,
    );
  }
}

import { describe, expect, it } from 'vitest';
import { Admission } from '../../../services/ingest/src/admission.ts';

describe('Admission', () => {
  it('shouldMirrorTheDocumentedExample', () => {
    const a = new Admission(100);
    expect(a.tryAcquire(60)).toBe(true);
    expect(a.tryAcquire(60)).toBe(false);
    a.release(60);
    expect(a.tryAcquire(60)).toBe(true);
    expect(a.inFlightBytes).toBe(60);
  });

  it('shouldNeverAdmitARequestLargerThanTheWholeBudget', () => {
    expect(new Admission(10).tryAcquire(11)).toBe(false);
  });
});

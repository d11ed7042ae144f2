/**
 * Admission by bytes in flight: a request holds its size (Content-Length, or the body limit when the length
 * is not announced) from arrival until Kafka acknowledged it or it failed. Past the budget a request is
 * refused at once (429) instead of queued, so memory is bounded by the budget whatever Kafka's pace. Pure.
 * @example const a = new Admission(100); a.tryAcquire(60); a.tryAcquire(60) // false; a.release(60)
 */
export class Admission {
  private held = 0;

  constructor(readonly budgetBytes: number) {}

  /** Takes `bytes` of the budget if they fit; a single request larger than the whole budget never fits. */
  tryAcquire(bytes: number): boolean {
    if (this.held + bytes > this.budgetBytes) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }

  get inFlightBytes(): number {
    return this.held;
  }
}

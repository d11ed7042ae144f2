interface Waiting<B> {
  batch: B;
  key: string;
  rows: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the batches that arrive together and hands them to `flush` as one: kafkajs' workers run eachBatch
 * for the partitions of one fetch at the same moment (partitionsConsumedConcurrently), so every batch
 * submitted before the next macrotask goes into one flush, as many as fit in `maxRows` rows per key (a topic:
 * one insert per topic; the first batch of a key always fits). Each
 * submit settles with the flush that held it: resolved once `flush` resolved, rejected with its error
 * otherwise, so a failed shared effect fails every batch in it. One flush runs at a time; what arrives
 * meanwhile waits for the next. A caller that submits a partition's next batch only after the previous one
 * settled keeps that partition's order.
 */
export class BatchCoalescer<B> {
  private waiting: Waiting<B>[] = [];
  private scheduled = false;
  private flushing = false;

  constructor(
    private readonly flush: (batches: B[]) => Promise<void>,
    private readonly rowsOf: (batch: B) => number,
    private readonly maxRows: number,
    private readonly keyOf: (batch: B) => string = () => '',
  ) {}

  submit(batch: B): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, key: this.keyOf(batch), rows: this.rowsOf(batch), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.waiting.length === 0) return;
    this.scheduled = true;
    // A macrotask later: every worker of the fetch has reached its submit by then.
    setImmediate(() => {
      this.scheduled = false;
      void this.flushNext();
    });
  }

  private async flushNext(): Promise<void> {
    if (this.flushing) return;
    const taken = this.take();
    if (taken.length === 0) return;
    this.flushing = true;
    try {
      await this.flush(taken.map((w) => w.batch));
      for (const w of taken) w.resolve();
    } catch (error) {
      for (const w of taken) w.reject(error);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  /** The oldest waiting batches that fit in maxRows together per key (the first of each key always). */
  private take(): Waiting<B>[] {
    const rowsPerKey = new Map<string, number>();
    const taken: Waiting<B>[] = [];
    const left: Waiting<B>[] = [];
    for (const w of this.waiting) {
      const rows = rowsPerKey.get(w.key);
      if (rows !== undefined && rows + w.rows > this.maxRows) left.push(w);
      else {
        rowsPerKey.set(w.key, (rows ?? 0) + w.rows);
        taken.push(w);
      }
    }
    this.waiting = left;
    return taken;
  }
}

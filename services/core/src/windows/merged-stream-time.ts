/**
 * The stream time of one model's events merged from several upstream tasks into one partition: the label
 * joiner's partition tasks each write the model's joined pairs, every task at its own pace.
 *
 * Kafka Streams' stream time is the largest event time seen. In a backfill (or a joiner catching up after an
 * outage) one task can run an hour of event time ahead of another, and the slower task's pairs then look
 * late and fall out of their windows. Here the stream time is the smallest of the tasks' largest event times
 * (Flink's watermark over several input channels), so a window waits for every task that brings the model.
 * A task lagging the fastest by more than `maxSkewMs` no longer holds it back: one that stopped bringing the
 * model (a partition that went quiet) would otherwise keep windows open forever. With `maxSkewMs` 0 this is
 * the largest event time, as in Kafka Streams.
 *
 * A task not heard from yet holds the stream time too, once the clock knows how many tasks there are (the
 * joiner names its task count on every pair): from the stream time when it learnt of it, until it brings
 * events or the skew rule drops it. Without that, the first task to bring events would set the time alone.
 *
 * Never decreases. Depends on the records and their order only, so a replay gives the same decisions. That is
 * why this is not window-finality.ts' `modelWatermark` (the drift monitor's and estimator's minimum over source
 * partitions), which reads the consumer group's lag and the wall clock: the performance monitor decides per
 * record whether a pair is late, and a restored partition must decide alike.
 */
export class MergedStreamTime {
  /** Upstream task → its largest event time. */
  private readonly tasks = new Map<string, number>();
  /** The largest event time of any task. */
  private latest = Number.NEGATIVE_INFINITY;
  private current = Number.NEGATIVE_INFINITY;
  /** Tasks numbered `0` to `taskCount - 1` are expected (0: tasks are only those seen). */
  private taskCount = 0;

  constructor(private readonly maxSkewMs: number) {}

  /** The stream time: windows close and events count as late against it. */
  get time(): number {
    return this.current;
  }

  /** Takes one event of `task` (one of `taskCount` numbered tasks, or any name with 0) at `eventTime`. */
  observe(task: string, eventTime: number, taskCount = 0): void {
    if (taskCount > this.taskCount) this.expect(taskCount, eventTime);
    const before = this.tasks.get(task);
    if (before !== undefined && eventTime <= before) return;
    this.tasks.set(task, eventTime);
    const raisedLatest = eventTime > this.latest;
    if (raisedLatest) this.latest = eventTime;
    // Only the slowest task rising, a new task, or the fastest moving on (which may leave a task too far
    // behind to count) can move the minimum: a loop over the few tasks then, nothing otherwise.
    if (before === undefined || before <= this.current || raisedLatest) this.recompute();
  }

  toJSON(): MergedStreamTimeJson {
    return {
      time: finiteOrNull(this.current),
      tasks: Object.fromEntries(this.tasks),
      taskCount: this.taskCount,
    };
  }

  /** Restores a stored state; a state stored before tasks were tracked carries its time only. */
  restore(json: MergedStreamTimeJson): void {
    this.tasks.clear();
    for (const [task, t] of Object.entries(json.tasks ?? {})) this.tasks.set(task, t);
    this.current = json.time ?? Number.NEGATIVE_INFINITY;
    this.taskCount = json.taskCount ?? 0;
    this.latest = this.current;
    for (const t of this.tasks.values()) if (t > this.latest) this.latest = t;
  }

  /** Tasks not heard from start where the stream is now (or at `eventTime`, the model's first event). */
  private expect(taskCount: number, eventTime: number): void {
    const start = Number.isFinite(this.current) ? this.current : eventTime;
    for (let i = this.taskCount; i < taskCount; i++) {
      const task = String(i);
      if (!this.tasks.has(task)) this.tasks.set(task, start);
    }
    this.taskCount = taskCount;
    if (start > this.latest) this.latest = start;
    this.recompute();
  }

  private recompute(): void {
    const floor = this.latest - this.maxSkewMs;
    let min = this.latest;
    for (const t of this.tasks.values()) if (t >= floor && t < min) min = t;
    if (min > this.current) this.current = min;
  }
}

export interface MergedStreamTimeJson {
  time: number | null;
  tasks?: Record<string, number>;
  taskCount?: number;
}

const finiteOrNull = (n: number): number | null => (Number.isFinite(n) ? n : null);

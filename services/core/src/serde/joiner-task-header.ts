/**
 * The Kafka header on every pair the label joiner emits: which of the joiner's partition tasks joined it, and
 * how many there are (`3/6`). One model's pairs reach one partition of the joined topic from every task, each
 * at its own pace; the performance monitor keeps a clock per task so that a task running ahead (a backfill)
 * does not make a slower task's pairs late (core/windows/merged-stream-time.ts).
 */
export const JOINER_TASK_HEADER = 'driftline.joiner.task';

/** A joiner task's name and the number of tasks; `taskCount` 0 when unknown. */
export interface JoinerTask {
  task: string;
  taskCount: number;
}

/** Pairs without the header (or with one the joiner did not write) share one clock. */
export const UNNAMED_JOINER_TASK: JoinerTask = { task: '', taskCount: 0 };

/** More tasks than this is no joiner's partition count: such a header is ignored. */
const MAX_TASKS = 10_000;

/** Header values seen, decoded: a consumer sees the same few on every record (one per joiner task). */
const decoded = new Map<string, JoinerTask>();

export function encodeJoinerTask(partition: number, partitions: number): Buffer {
  return Buffer.from(`${partition}/${partitions}`);
}

export function decodeJoinerTask(
  value: Buffer | string | readonly (Buffer | string)[] | undefined,
): JoinerTask {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return UNNAMED_JOINER_TASK;
  const text = raw.toString();
  let task = decoded.get(text);
  if (task === undefined) {
    task = parse(text);
    if (decoded.size < 4 * MAX_TASKS) decoded.set(text, task);
  }
  return task;
}

function parse(text: string): JoinerTask {
  const match = /^(\d{1,5})\/(\d{1,5})$/.exec(text);
  if (!match) return UNNAMED_JOINER_TASK;
  const task = Number(match[1]);
  const taskCount = Number(match[2]);
  return task < taskCount && taskCount <= MAX_TASKS ? { task: String(task), taskCount } : UNNAMED_JOINER_TASK;
}

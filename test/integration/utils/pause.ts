import { readFileSync } from 'node:fs';
import { waitFor } from './env.ts';
import type { ServiceProcess } from './service-process.ts';

/** Whether the kernel holds the process stopped (state T in /proc/<pid>/stat): a SIGSTOP or a paused crash point. */
export function isStopped(p: ServiceProcess): boolean {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return false;
  const stat = readFileSync(`/proc/${p.child.pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
}

/** Pauses the process (SIGSTOP) as a long GC pause or a frozen VM would, and waits until it is stopped. */
export async function pause(p: ServiceProcess): Promise<void> {
  p.child.kill('SIGSTOP');
  await waitFor('the process stopped', async () => isStopped(p), Boolean, 10_000);
}

/** Waits until a paused crash point (DRIFTLINE_CRASH_SIGNAL=SIGSTOP) stopped the process. */
export async function pausedItself(p: ServiceProcess, timeoutMs = 120_000): Promise<void> {
  await waitFor('the process paused itself', async () => isStopped(p), Boolean, timeoutMs).catch(
    (error: Error) => {
      throw new Error(`${error.message}; logs:\n${p.logs().slice(-3000)}`);
    },
  );
}

/** Whether `p` logged a group assignment of exactly `partitions` after the first `since` characters of its logs. */
export function assignedSince(p: ServiceProcess, since: number, partitions: readonly number[]): boolean {
  const list = partitions.join(',');
  return p
    .logs()
    .slice(since)
    .split('\n')
    .some((l) => l.includes('"msg":"assignment"') && l.includes(`[${list}]`));
}

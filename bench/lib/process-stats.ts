// What /proc says about the processes of a run: CPU seconds and peak RSS, read without touching them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every process measured: the services `driftline up` supervises (from its run folder) and the three servers. */
export function measuredProcesses(root: string, runDir: string): Map<string, number> {
  const supervised = JSON.parse(readFileSync(path.join(runDir, 'services', 'supervisor.json'), 'utf8'))
    .services as { name: string; pid: number | null }[];
  const out = new Map(supervised.filter((s) => s.pid).map((s) => [s.name, s.pid!]));
  for (const [name, pid] of serverPids(root)) out.set(`${name} (server)`, pid);
  return out;
}

/** The running servers of `infra/stack.sh` (kafka, registry, clickhouse) and their pids. */
export function serverPids(root: string): Map<string, number> {
  const status = execFileSync('bash', [path.join(root, 'infra', 'stack.sh'), 'status'], { encoding: 'utf8' });
  return new Map([...status.matchAll(/^(\w+)\s+running\s+pid (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

/** CPU seconds (user + system) of a process and its waited-for children so far; NaN for a process that is gone. */
export function cpuSeconds(pid: number): number {
  if (!existsSync(`/proc/${pid}/stat`)) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = [11, 12, 13, 14].reduce((s, i) => s + Number(fields[i]), 0);
  return ticks / 100;
}

/** CPU seconds of each process since `before` was taken (a snapshot of `cpuSeconds` per name). */
export function cpuSince(pids: Map<string, number>, before: Map<string, number>): Map<string, number> {
  return new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid) - before.get(name)!]));
}

/** A snapshot of `cpuSeconds` per process name. */
export function cpuSnapshot(pids: Map<string, number>): Map<string, number> {
  return new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid)]));
}

/** Peak RSS in MB; NaN for a process that is gone (a server restarted during the run). */
export function peakRssMb(pid: number): number {
  try {
    return Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

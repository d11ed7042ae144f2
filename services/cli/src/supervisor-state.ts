import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_DIR } from './paths.ts';

/** What the supervisor knows about one service; `driftline status` and `up` read it. */
export interface SupervisedService {
  name: string;
  /** Port of its metrics and health endpoint. */
  port: number;
  /** The running process, or null between a exit and the restart. */
  pid: number | null;
  state: 'running' | 'restarting' | 'stopped';
  /** Starts after the first. */
  restarts: number;
  startedAt: number;
  lastExit?: { code: number | null; signal: string | null; at: number };
  /** How it ended last, with the last error line of its log then: `exited with code 1: cannot start ...`. */
  lastError?: string;
}

export interface SupervisorState {
  pid: number;
  startedAt: number;
  services: SupervisedService[];
}

export const STATE_FILE = path.join(SERVICE_DIR, 'supervisor.json');

/** Writes the state whole (write then rename), so a reader never sees half of it. */
export function writeState(state: SupervisorState): void {
  mkdirSync(SERVICE_DIR, { recursive: true });
  const tmp = `${STATE_FILE}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, STATE_FILE);
}

/** The last state the supervisor wrote, or undefined when none ever ran here. */
export function readState(): SupervisorState | undefined {
  if (!existsSync(STATE_FILE)) return undefined;
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as SupervisorState;
}

/** Is a process with this pid alive? */
export function alive(pid: number | null | undefined): pid is number {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

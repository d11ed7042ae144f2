import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths.ts';

/** Runs infra/stack.sh with its output shown; throws when it fails. */
export function stack(...args: string[]): void {
  const r = spawnSync('bash', [path.join(ROOT, 'infra', 'stack.sh'), ...args], {
    stdio: 'inherit',
    cwd: ROOT,
  });
  if (r.status !== 0) throw new Error(`infra/stack.sh ${args.join(' ')} failed (exit ${r.status})`);
}

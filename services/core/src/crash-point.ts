/**
 * Named points where a test may kill the process with SIGKILL, to prove that a crash there loses and doubles
 * nothing. Off unless DRIFTLINE_CRASH_AT names the point; DRIFTLINE_CRASH_AFTER=N lets N passes go first.
 * DRIFTLINE_CRASH_SIGNAL=SIGSTOP pauses the process there instead, once: a live zombie that the test resumes
 * with SIGCONT after another instance took over. No effect in production, where the variables are unset.
 */
export type CrashPointName =
  | 'after-effect-before-commit'
  | 'after-produce-before-commit'
  | 'mid-batch'
  /** alerter: the transaction committed, the ClickHouse rows are not written yet */
  | 'after-commit-before-rows';

let passes = 0;

export function crashPoint(name: CrashPointName, env: NodeJS.ProcessEnv = process.env): void {
  if (env.DRIFTLINE_CRASH_AT !== name) return;
  passes += 1;
  if (passes !== Number(env.DRIFTLINE_CRASH_AFTER ?? 0) + 1) return;
  process.kill(process.pid, env.DRIFTLINE_CRASH_SIGNAL === 'SIGSTOP' ? 'SIGSTOP' : 'SIGKILL');
}

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { seededRandom } from '../../services/simulator/src/prng.ts';
import { startServiceProcess, type ServiceProcess } from '../integration/utils/service-process.ts';
import { ROOT, supervisedPids, type Pipeline } from './pipeline.ts';

/** One fault, injected when the stream reaches chunk `atChunk`. */
export type Fault =
  | { kind: 'sigkill'; atChunk: number }
  | { kind: 'sigstop'; atChunk: number; service: string; pauseMs: number }
  | { kind: 'restart-kafka'; atChunk: number }
  | { kind: 'stop-clickhouse'; atChunk: number; downMs: number }
  | { kind: 'stop-registry'; atChunk: number; downMs: number };

/** Which faults a run injects: see faultPlan. */
export type PlanName = 'short' | 'full' | 'outages';

/**
 * The short plan (5 SIGKILLs, one SIGSTOP, no server touched: safe beside other work on the same servers); the
 * full one (24 SIGKILLs, a Kafka restart, ClickHouse down 60 s, the registry down 30 s, one SIGSTOP); and the
 * outages (the same three server faults, then the only drift monitor starved: SIGSTOPped past its session timeout
 * with no other instance to take over), where any supervisor restart is a service that gave up instead of
 * waiting. The demo stream has 54 chunks of 20 s of event time.
 */
export function faultPlan(plan: PlanName, sessionTimeoutMs: number): Fault[] {
  const pauseMs = sessionTimeoutMs + 15_000;
  const outages: Fault[] = [
    { kind: 'restart-kafka', atChunk: 11 },
    { kind: 'stop-registry', atChunk: 21, downMs: 30_000 },
    { kind: 'stop-clickhouse', atChunk: 31, downMs: 60_000 },
  ];
  if (plan === 'outages')
    return [...outages, { kind: 'sigstop', atChunk: 41, service: 'drift-monitor', pauseMs }];
  if (plan === 'short') {
    return [
      ...[6, 14, 22, 30, 38].map((atChunk) => ({ kind: 'sigkill' as const, atChunk })),
      { kind: 'sigstop', atChunk: 18, service: 'label-joiner', pauseMs },
    ];
  }
  return [
    ...Array.from({ length: 24 }, (_, i) => ({ kind: 'sigkill' as const, atChunk: 2 + i * 2 })),
    ...outages,
    { kind: 'sigstop', atChunk: 41, service: 'label-joiner', pauseMs },
  ];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stack(...args: string[]): void {
  execFileSync('bash', [path.join(ROOT, 'infra', 'stack.sh'), ...args], { cwd: ROOT, stdio: 'inherit' });
}

/** Runs the plan's faults one after the other as the stream reaches them, and logs what it did. */
export class FaultInjector {
  readonly log: string[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly random = seededRandom(14);
  private readonly started = Date.now();
  /** A second label-joiner instance, so that a paused one's partitions have somewhere to go. */
  private spare?: ServiceProcess;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly plan: Fault[],
  ) {}

  startSpare(): void {
    if (!this.plan.some((f) => f.kind === 'sigstop' && f.service === 'label-joiner')) return;
    this.spare = startServiceProcess('label-joiner', {
      ...this.pipeline.env,
      DRIFTLINE_JOINER_INSTANCE_ID: 'spare',
    });
  }

  onChunk(index: number): void {
    for (const fault of this.plan.filter((f) => f.atChunk === index)) {
      this.queue = this.queue
        .then(() => this.inject(fault))
        .catch((e) => void this.note(`fault failed: ${(e as Error).message}`));
    }
  }

  async done(): Promise<void> {
    await this.queue;
  }

  async stopSpare(): Promise<void> {
    await this.spare?.stop('SIGTERM');
  }

  private note(line: string): void {
    const entry = `+${Math.round((Date.now() - this.started) / 1000)}s ${line}`;
    this.log.push(entry);
    console.log(`[faults] ${entry}`);
  }

  private async inject(fault: Fault): Promise<void> {
    const pids = supervisedPids(this.pipeline);
    if (fault.kind === 'sigkill') {
      const names = Object.keys(pids).sort();
      const name = names[Math.floor(this.random() * names.length)]!;
      process.kill(pids[name]!, 'SIGKILL');
      this.note(`SIGKILL ${name} (pid ${pids[name]})`);
      await this.waitRestarted(name, pids[name]!);
    } else if (fault.kind === 'sigstop') {
      const pid = pids[fault.service]!;
      process.kill(pid, 'SIGSTOP');
      const spare = this.spare !== undefined && fault.service === 'label-joiner';
      const why = spare ? 'its partitions move to the spare' : 'past its session timeout, no other instance';
      this.note(`SIGSTOP ${fault.service} (pid ${pid}) for ${fault.pauseMs / 1000} s; ${why}`);
      await sleep(fault.pauseMs);
      process.kill(pid, 'SIGCONT');
      this.note(
        `SIGCONT ${fault.service} (pid ${pid}): ${spare ? 'a zombie now, to be fenced' : 'it must rejoin'}`,
      );
    } else if (fault.kind === 'restart-kafka') {
      this.note('restarting the Kafka broker');
      stack('restart', 'kafka');
      this.note('Kafka broker back');
    } else {
      const server = fault.kind === 'stop-clickhouse' ? 'clickhouse' : 'registry';
      this.note(`stopping ${server} for ${fault.downMs / 1000} s`);
      stack('stop', server);
      await sleep(fault.downMs);
      stack('start', server);
      this.note(`${server} back`);
    }
  }

  private async waitRestarted(name: string, oldPid: number): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const pid = supervisedPids(this.pipeline)[name];
      if (pid && pid !== oldPid) return void this.note(`${name} restarted by the supervisor (pid ${pid})`);
      await sleep(500);
    }
    this.note(`${name} not restarted within 90 s`);
  }
}

// Benchmark (not a test) of what the pipeline costs when no event comes: npm run bench -- idle
// (or npx tsx bench/idle.ts; the servers of infra/stack.sh must run).
// 1. One idle kafkajs consumer (a group on an empty 12-partition topic, our services' fetch settings), each
//    in a process of its own: kafkajs 2.2.4 as released, the same with our patches
//    (core/src/kafka/kafkajs-patches.ts; released kafkajs re-arms a 1 ms timer per broker connection while no
//    request waits) but without the idle long poll (DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS=0), and with it (the
//    default; core/src/kafka/idle-fetch.ts). Alternating, ROUNDS rounds of SECONDS s each: CPU ms per second.
// 2. The servers of infra/stack.sh alone, then with every service of a `driftline up`, ready and without
//    traffic, SECONDS s each: CPU ms per second of each process; once without the long poll, once by default.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cpuSeconds, cpuSince, cpuSnapshot, measuredProcesses, serverPids } from './lib/process-stats.ts';
import { BROKERS, Deployment, ROOT } from './pipeline/deployment.ts';

const SECONDS = 30;
const ROUNDS = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU ms per second of one idle consumer over SECONDS, once it has joined its group. */
type Mode = 'released' | 'patched' | 'long-poll';

async function idleConsumer(mode: Mode, topic: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'idle', 'consumer.ts'), mode, BROKERS, topic],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the ${mode} consumer exited (${code}) before joining`)));
  });
  await sleep(3000); // past the join's own requests
  const before = cpuSeconds(child.pid!);
  await sleep(SECONDS * 1000);
  const ms = ((cpuSeconds(child.pid!) - before) * 1000) / SECONDS;
  child.kill('SIGKILL');
  return ms;
}

const d = new Deployment();
const topic = `${d.env.DRIFTLINE_TOPIC_PREFIX}idle`;
const admin = d.kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 12 }], waitForLeaders: true });
await admin.disconnect();
const got: Record<Mode, number[]> = { released: [], patched: [], 'long-poll': [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of ['released', 'patched', 'long-poll'] as const)
    got[mode].push(await idleConsumer(mode, topic));
}
const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
console.log(
  `an idle kafkajs consumer, 12 partitions, CPU ms per second over ${SECONDS} s (${ROUNDS} rounds):`,
);
console.log(`  kafkajs 2.2.4 as released   ${range(got.released)}`);
console.log(`  with our patches            ${range(got.patched)}   (DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS=0)`);
console.log(`  and the idle long poll      ${range(got['long-poll'])}   (the default)`);

const servers = serverPids(ROOT);
const serversBefore = cpuSnapshot(servers);
await sleep(SECONDS * 1000);
console.log(`\nthe servers alone, no service running: CPU ms per second over ${SECONDS} s`);
for (const [name, s] of cpuSince(servers, serversBefore))
  console.log(`  ${name.padEnd(22)}${((s * 1000) / SECONDS).toFixed(1).padStart(7)}`);

/** Every service of `deployment` up and idle: CPU ms per second of each process over SECONDS. */
async function idlePipeline(deployment: Deployment): Promise<Map<string, number>> {
  deployment.up();
  try {
    await sleep(5000);
    const pids = measuredProcesses(ROOT, deployment.runDir);
    const before = cpuSnapshot(pids);
    await sleep(SECONDS * 1000);
    return new Map([...cpuSince(pids, before)].map(([name, s]) => [name, (s * 1000) / SECONDS]));
  } finally {
    deployment.stopServices();
  }
}

const withoutLongPoll = new Deployment({ DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS: '0' });
const without = await idlePipeline(withoutLongPoll);
await withoutLongPoll.drop();
const by = await idlePipeline(d);
console.log(`\nevery service of a driftline up, ready, no traffic: CPU ms per second over ${SECONDS} s`);
console.log(`  ${'process'.padEnd(22)}  no long poll   default`);
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
for (const [name, ms] of by)
  console.log(
    `  ${name.padEnd(22)}${(without.get(name) ?? NaN).toFixed(1).padStart(13)}${ms.toFixed(1).padStart(10)}`,
  );
console.log(`  ${'all'.padEnd(22)}${sum(without).toFixed(1).padStart(13)}${sum(by).toFixed(1).padStart(10)}`);
await d.drop();

// Benchmark (not a test) of what the pipeline costs when no event comes: npm run bench -- idle
// (or npx tsx bench/idle.ts; the servers of infra/stack.sh must run).
// 1. One idle kafkajs consumer (a group on an empty 12-partition topic, our services' fetch settings), each
//    in a process of its own: kafkajs 2.2.4 as released against the same with our patches
//    (core/src/kafka/kafkajs-patches.ts; released kafkajs re-arms a 1 ms timer per broker connection while no
//    request waits). Alternating, ROUNDS rounds of SECONDS s each: CPU ms per second.
// 2. The servers of infra/stack.sh alone, then with every service of a default `driftline up`, ready and
//    without traffic, SECONDS s each: CPU ms per second of each process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cpuSeconds, cpuSince, cpuSnapshot, measuredProcesses, serverPids } from './lib/process-stats.ts';
import { BROKERS, Deployment, ROOT } from './pipeline/deployment.ts';

const SECONDS = 30;
const ROUNDS = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU ms per second of one idle consumer over SECONDS, once it has joined its group. */
async function idleConsumer(mode: 'released' | 'patched', topic: string): Promise<number> {
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
const got: Record<'released' | 'patched', number[]> = { released: [], patched: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of ['released', 'patched'] as const) got[mode].push(await idleConsumer(mode, topic));
}
const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
console.log(
  `an idle kafkajs consumer, 12 partitions, CPU ms per second over ${SECONDS} s (${ROUNDS} rounds):`,
);
console.log(`  kafkajs 2.2.4 as released   ${range(got.released)}`);
console.log(`  with our patches            ${range(got.patched)}`);

const servers = serverPids(ROOT);
const serversBefore = cpuSnapshot(servers);
await sleep(SECONDS * 1000);
console.log(`\nthe servers alone, no service running: CPU ms per second over ${SECONDS} s`);
for (const [name, s] of cpuSince(servers, serversBefore))
  console.log(`  ${name.padEnd(22)}${((s * 1000) / SECONDS).toFixed(1).padStart(7)}`);

d.up();
await sleep(5000);
const pids = measuredProcesses(ROOT, d.runDir);
const before = cpuSnapshot(pids);
await sleep(SECONDS * 1000);
const spent = cpuSince(pids, before);
console.log(`\na default driftline up, ready, no traffic: CPU ms per second over ${SECONDS} s`);
for (const [name, s] of spent)
  console.log(`  ${name.padEnd(22)}${((s * 1000) / SECONDS).toFixed(1).padStart(7)}`);
d.stopServices();
await d.drop();

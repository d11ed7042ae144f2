import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { seededRandom } from '../../services/simulator/src/prng.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, testKafka, waitForGroupCaughtUp } from './utils/kafka.ts';
import { isStopped } from './utils/pause.ts';
import { readJoinedPairs } from './utils/read-committed.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

// A live zombie: an instance paused (SIGSTOP) longer than its session timeout while another instance takes over
// its partitions, then resumed (SIGCONT) with batches already fetched and, perhaps, a transaction open. Fencing
// must refuse whatever it tries to commit late, and it must not take the partitions back by reopening them.
const T0 = Date.parse('2026-05-01T00:00:00Z');
const DAY = 86_400_000;
const SESSION_TIMEOUT_MS = 6000;
const SEED = Number(process.env.DRIFTLINE_TEST_SEED ?? Math.floor(Math.random() * 1e9));
const kafka = testKafka();
const stateRoot = await mkdtemp(path.join(tmpdir(), 'live-zombie-'));
const cleanups: (() => Promise<unknown>)[] = [];

function start(service: string, env: Record<string, string>, extra: Record<string, string> = {}) {
  const p = startServiceProcess(service, { ...env, ...extra });
  cleanups.push(async () => {
    if (p.child.exitCode === null) p.child.kill('SIGCONT');
    return p.stop('SIGKILL');
  });
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`live zombies (real Kafka, registry, ClickHouse; seed ${SEED})`, () => {
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await rm(stateRoot, { recursive: true, force: true });
  });

  it('shouldJoinEveryPairExactlyOnceWhenAPausedJoinerWakesUpAfterItsPartitionsMoved', async () => {
    const env = isolatedEnv({
      DRIFTLINE_MAX_LABEL_DELAY_MS: String(DAY),
      DRIFTLINE_JOINER_IDLE_MS: String(DAY),
      DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
      DRIFTLINE_STATE_DIR: await mkdtemp(path.join(stateRoot, 'joiner-')),
      // Small batches: many transactions in flight when the pause comes.
      DRIFTLINE_JOINER_FETCH_BYTES: '16384',
    });
    env.DRIFTLINE_JOINER_GROUP_ID = `joiner-${env.DRIFTLINE_TOPIC_PREFIX}`;
    const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
    const random = seededRandom(SEED);
    const pairs = take(
      6000,
      classifierTraffic({
        modelId: 'm',
        modelVersion: 'v1',
        startMs: T0,
        stepMs: 50,
        idPrefix: 'p',
        seed: SEED,
      }),
    );
    const encoders = {
      inference: await avroEncoder(topics.inference, 'InferenceEvent'),
      truth: await avroEncoder(topics.groundTruth, 'GroundTruthEvent'),
    };
    // The zombie pauses itself inside a transaction (records sent, not committed): the worst moment.
    const zombie = start('label-joiner', env, {
      DRIFTLINE_JOINER_INSTANCE_ID: 'zombie',
      DRIFTLINE_CRASH_AT: 'after-produce-before-commit',
      DRIFTLINE_CRASH_AFTER: String(3 + Math.floor(random() * 6)),
      DRIFTLINE_CRASH_SIGNAL: 'SIGSTOP',
    });
    const heir = start('label-joiner', env, { DRIFTLINE_JOINER_INSTANCE_ID: 'heir' });
    await Promise.all([waitReady(zombie), waitReady(heir)]);
    const assigned = (p: ServiceProcess) => p.logs().includes('"msg":"assignment"');
    await waitFor('both instances assigned', async () => assigned(zombie) && assigned(heir), Boolean);

    const producer = kafka.producer();
    await producer.connect();
    // A chunk: its predictions, and its labels shuffled with a tenth of them sent before their prediction.
    const send = async (from: number, to: number) => {
      const chunk = pairs.slice(from, to);
      const early = chunk.filter(() => random() < 0.1).map((p) => p.truth);
      const late = chunk.map((p) => p.truth).filter((t) => !early.includes(t));
      const messages = async (topic: 'inference' | 'truth', events: object[]) =>
        Promise.all(
          events.map(async (e) => ({
            key: (e as { prediction_id: string }).prediction_id,
            value: await encoders[topic].encode(e),
          })),
        );
      await producer.send({ topic: topics.groundTruth, messages: await messages('truth', early) });
      await producer.send({
        topic: topics.inference,
        messages: await messages(
          'inference',
          chunk.map((p) => p.inference),
        ),
      });
      await producer.send({ topic: topics.groundTruth, messages: await messages('truth', late) });
    };
    let sent = 0;
    const sendUntil = async (n: number, gapMs: number) => {
      for (; sent < n; sent += 200) {
        await send(sent, Math.min(n, sent + 200));
        await sleep(gapMs);
      }
    };

    while (!isStopped(zombie)) {
      if (sent >= 3000) throw new Error(`the zombie never paused; logs:\n${zombie.logs().slice(-3000)}`);
      await sendUntil(sent + 200, 100);
    }
    const seen = heir.logs().length;
    await waitFor(
      'the heir owning every partition',
      async () => heir.logs().slice(seen),
      (l) => /"partitions":\[0,1,2\][^\n]*"msg":"assignment"/.test(l),
      60_000,
    );
    // The heir works on the partitions for a while, then the zombie wakes up with its transaction open.
    await sendUntil(sent + 1000, 100);
    await sleep(2000);
    zombie.child.kill('SIGCONT');
    await sendUntil(pairs.length, 50);
    await producer.disconnect();

    await waitForGroupCaughtUp(
      kafka,
      env.DRIFTLINE_JOINER_GROUP_ID!,
      [topics.inference, topics.groundTruth],
      240_000,
    );
    const ids = readJoinedPairs(topics.joined).map((j) => j.prediction_id);
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const never = pairs.map((p) => p.inference.prediction_id).filter((id) => !counts.has(id));
    const key =
      /"msg":"(assignment|partitions opened|fenced[^"]*|consumer crashed|partition closed)"|transaction of \S+ (was fenced|failed)/;
    for (const [name, p] of [
      ['zombie', zombie],
      ['heir', heir],
    ] as const) {
      const lines = p
        .logs()
        .split('\n')
        .filter((l) => key.test(l));
      console.log(`${name}:\n${lines.map((l) => l.slice(0, 300)).join('\n')}`);
    }
    const story = `zombie: ${zombie.child.exitCode === null ? 'alive' : `exited ${zombie.child.exitCode}`}`;
    expect({ twice: twice.slice(0, 10), never: never.slice(0, 10), story }).toEqual({
      twice: [],
      never: [],
      story,
    });
    expect(ids.length).toBe(pairs.length);
    // The transaction it paused in was aborted by the heir's fence: its commit was refused.
    expect(zombie.logs()).toMatch(/transaction of \S+ was fenced by a newer producer/);
  }, 600_000);
});

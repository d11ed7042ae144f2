// The throughput run's load generator: librdkafka (confluent-kafka's Python client, from the venv of
// infra/python-env.sh), the client the measurement #16 started from used. kafkajs producing the same stream from
// the benchmark's own process took 3.65 CPU s for 285,000 events into an idle pipeline (12.8 µs per event) from
// the two cores the pipeline runs on; librdkafka's own threads in C take a fraction of that.
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Message } from 'kafkajs';
import type { TopicNames } from '../../services/core/src/config/topics.ts';
import { cpuSeconds } from '../lib/process-stats.ts';
import { BROKERS, ROOT } from './deployment.ts';
import type { Stream } from './stream.ts';

/** The records in produce order: each chunk of 5,000 predictions, then its share of the labels. */
function interleaved(stream: Stream): [0 | 1, Message][] {
  const out: [0 | 1, Message][] = [];
  const chunk = 5_000;
  const ratio = stream.truth.length / stream.inference.length;
  for (let i = 0; i < stream.inference.length; i += chunk) {
    for (const m of stream.inference.slice(i, i + chunk)) out.push([0, m]);
    for (const m of stream.truth.slice(Math.floor(i * ratio), Math.floor((i + chunk) * ratio)))
      out.push([1, m]);
  }
  return out;
}

/** produce_flat_out.py's input: topic index, then key and value, each with its 4-byte length. */
function recordsFile(records: [0 | 1, Message][]): Buffer {
  const parts: Buffer[] = [];
  for (const [topic, m] of records) {
    const key = Buffer.from(m.key as string | Buffer);
    const value = m.value as Buffer;
    const head = Buffer.alloc(5);
    head.writeUInt8(topic, 0);
    head.writeUInt32BE(key.length, 1);
    const valueLength = Buffer.alloc(4);
    valueLength.writeUInt32BE(value.length, 0);
    parts.push(head, key, valueLength, value);
  }
  return Buffer.concat(parts);
}

export class LibrdkafkaProducer {
  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    private readonly lines: Interface,
  ) {}

  /** Starts the producer with the stream loaded and the topics' metadata fetched; no record sent yet. */
  static async prepare(runDir: string, topics: TopicNames, stream: Stream): Promise<LibrdkafkaProducer> {
    const python = execFileSync('bash', [path.join(ROOT, 'infra', 'python-env.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    const file = path.join(runDir, 'records.bin');
    writeFileSync(file, recordsFile(interleaved(stream)));
    const child = spawn(
      python,
      [
        path.join(ROOT, 'bench', 'pipeline', 'produce_flat_out.py'),
        BROKERS,
        file,
        topics.inference,
        topics.groundTruth,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const producer = new LibrdkafkaProducer(child, createInterface({ input: child.stdout }));
    const line = await producer.nextLine();
    if (line !== 'ready') throw new Error(`produce_flat_out.py did not start: ${line}`);
    return producer;
  }

  /** Produces every record and waits for their acknowledgements: the seconds it took, and its CPU seconds. */
  async run(): Promise<{ seconds: number; cpuSeconds: number }> {
    const cpuBefore = cpuSeconds(this.child.pid!);
    this.child.stdin.write('go\n');
    const line = await this.nextLine();
    const [word, seconds, failed] = line.split(' ');
    if (word !== 'done' || failed !== '0') throw new Error(`produce_flat_out.py: ${line}`);
    const cpu = cpuSeconds(this.child.pid!) - cpuBefore;
    this.child.stdin.end();
    return { seconds: Number(seconds), cpuSeconds: cpu };
  }

  private nextLine(): Promise<string> {
    return new Promise((resolve) => {
      const onExit = (code: number | null) => resolve(`exited with ${code}`);
      this.child.once('exit', onExit);
      this.lines.once('line', (line) => {
        this.child.off('exit', onExit);
        resolve(line);
      });
    });
  }
}

// The pipeline benchmark's load generator: librdkafka (confluent-kafka's Python client, from the venv of
// infra/python-env.sh; bench/pipeline/produce.py), the client the measurement #16 started from used. kafkajs
// producing the same stream from the benchmark's own process took 3.65 CPU s for 285,000 events into an idle
// pipeline (12.8 µs per event) from the two cores the pipeline runs on; librdkafka took 0.6 s.
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Message } from 'kafkajs';
import type { TopicNames } from '../../services/core/src/config/topics.ts';
import { cpuSeconds } from '../lib/process-stats.ts';
import { BROKERS, ROOT } from './deployment.ts';

/** A record to produce: to the inference or the ground-truth topic. */
export interface OutgoingRecord {
  topic: 'inference' | 'truth';
  message: Message;
}

export interface Produced {
  seconds: number;
  /** The producer process's CPU while it produced. */
  cpuSeconds: number;
  /** Paced only: when each record was handed to librdkafka, on this process's performance.now() clock. */
  sentAt?: Float64Array;
}

/** produce.py's input: topic index, then key and value, each with its 4-byte length. */
function recordsFile(records: readonly OutgoingRecord[]): Buffer {
  const parts: Buffer[] = [];
  for (const { topic, message } of records) {
    const key = Buffer.from(message.key as string | Buffer);
    const value = message.value as Buffer;
    const head = Buffer.alloc(5);
    head.writeUInt8(topic === 'inference' ? 0 : 1, 0);
    head.writeUInt32BE(key.length, 1);
    const valueLength = Buffer.alloc(4);
    valueLength.writeUInt32BE(value.length, 0);
    parts.push(head, key, valueLength, value);
  }
  return Buffer.concat(parts);
}

let python: string | undefined;

export class LibrdkafkaProducer {
  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    private readonly lines: Interface,
    private readonly sentFile: string | undefined,
  ) {}

  /**
   * Starts a producer with `records` loaded and the topics' metadata fetched; none is sent before `run`. `rate`:
   * records a second, sent every 10 ms as they fall due; without it, as fast as librdkafka goes.
   */
  static async prepare(
    runDir: string,
    name: string,
    topics: TopicNames,
    records: readonly OutgoingRecord[],
    rate?: number,
  ): Promise<LibrdkafkaProducer> {
    python ??= execFileSync('bash', [path.join(ROOT, 'infra', 'python-env.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    const file = path.join(runDir, `${name}.records`);
    writeFileSync(file, recordsFile(records));
    const sentFile = rate ? path.join(runDir, `${name}.sent`) : undefined;
    const child = spawn(
      python,
      [
        path.join(ROOT, 'bench', 'pipeline', 'produce.py'),
        BROKERS,
        file,
        String(rate ?? 0),
        sentFile ?? '-',
        topics.inference,
        topics.groundTruth,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const producer = new LibrdkafkaProducer(child, createInterface({ input: child.stdout }), sentFile);
    const line = await producer.nextLine();
    if (line !== 'ready') throw new Error(`produce.py did not start: ${line}`);
    return producer;
  }

  /** Produces every record and waits for their acknowledgements. */
  async run(): Promise<Produced> {
    const cpuBefore = cpuSeconds(this.child.pid!);
    this.child.stdin.write('go\n');
    const line = await this.nextLine();
    const [word, seconds, failed] = line.split(' ');
    if (word !== 'done' || failed !== '0') throw new Error(`produce.py: ${line}`);
    const cpu = cpuSeconds(this.child.pid!) - cpuBefore;
    this.child.stdin.end();
    return {
      seconds: Number(seconds),
      cpuSeconds: cpu,
      sentAt: this.sentFile ? this.sentTimes() : undefined,
    };
  }

  /**
   * produce.py's send times (CLOCK_MONOTONIC, ms) on performance.now()'s clock: Node's process.hrtime reads the
   * same CLOCK_MONOTONIC, and performance.now() is it less a fixed origin.
   */
  private sentTimes(): Float64Array {
    const bytes = readFileSync(this.sentFile!);
    const monotonic = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const origin = Number(process.hrtime.bigint()) / 1e6 - performance.now();
    return monotonic.map((ms) => ms - origin);
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

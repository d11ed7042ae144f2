// One `driftline up` of the benchmark: its own run folder, topic prefix, database and service ports, beside the
// servers if they run (else `up` starts them), and its own ClickHouse client. `down` keeps the servers.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { Kafka, logLevel } from 'kafkajs';
import { topicNames, type TopicNames } from '../../services/core/src/config/topics.ts';
import { buildReferenceCommand } from '../../services/drift-monitor/src/reference-build.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { randomServicePort } from '../../test/integration/utils/ports.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BROKERS = process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092';
export const REGISTRY = process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const CLICKHOUSE = process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

export class Deployment {
  readonly id = randomBytes(4).toString('hex');
  readonly runDir = mkdtempSync(path.join(tmpdir(), 'driftline-pipeline-bench-'));
  readonly env: Record<string, string>;
  readonly topics: TopicNames;
  readonly database: string;
  readonly kafka = new Kafka({ clientId: 'bench', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
  readonly ch: ClickHouseClient;

  /** `settings`: environment settings of the services beyond the defaults (none for a default `driftline up`). */
  constructor(settings: Record<string, string> = {}) {
    this.database = `pipe_${this.id}`;
    this.env = {
      ...(process.env as Record<string, string>),
      ...settings,
      DRIFTLINE_RUN_DIR: this.runDir,
      DRIFTLINE_STATE_DIR: path.join(this.runDir, 'state'),
      DRIFTLINE_TOPIC_PREFIX: `pipe${this.id}.`,
      DRIFTLINE_CLICKHOUSE_DATABASE: this.database,
      DRIFTLINE_SERVICES_BASE_PORT: String(randomServicePort(5)),
    };
    this.topics = topicNames({ topicPrefix: this.env.DRIFTLINE_TOPIC_PREFIX! });
    this.ch = createClient({ url: CLICKHOUSE, database: this.database });
  }

  cli(...args: string[]): string {
    return execFileSync(path.join(ROOT, 'bin', 'driftline'), args, {
      cwd: ROOT,
      env: this.env,
      encoding: 'utf8',
    });
  }

  private running = false;

  up(): void {
    this.running = true;
    this.cli('up');
  }

  /** Stops the services; the servers keep running and the database stays until `drop`. */
  stopServices(): void {
    if (this.running) this.cli('down', '--keep-servers');
    this.running = false;
  }

  /**
   * Drops the run's database and deletes its topics, then closes the client: a broker left with every earlier
   * run's partitions (thousands after a few dozen runs) spends more CPU on each later one.
   */
  async drop(): Promise<void> {
    await this.ch.command({ query: `DROP DATABASE IF EXISTS ${this.database}` }).catch(() => undefined);
    await this.ch.close();
    const admin = this.kafka.admin();
    await admin.connect();
    const prefix = this.env.DRIFTLINE_TOPIC_PREFIX!;
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await admin.deleteTopics({ topics, timeout: 60_000 }).catch(() => undefined);
    await admin.disconnect();
  }

  /**
   * A reference profile per model (version v1) from 5,000 events of its normal traffic, as a user builds them
   * (`driftline reference build --from file.jsonl`), so the drift monitor tests every window it closes.
   */
  async buildReferences(models: readonly string[]): Promise<void> {
    for (const modelId of models) {
      const file = path.join(this.runDir, `reference-${modelId}.jsonl`);
      const traffic = classifierTraffic({
        modelId,
        modelVersion: 'v1',
        numericFeatures: 20,
        seed: 99,
        startMs: 0,
      });
      writeFileSync(
        file,
        take(5_000, traffic)
          .map((p) => JSON.stringify(p.inference))
          .join('\n'),
      );
      await buildReferenceCommand({ modelId, modelVersion: 'v1', from: file, env: this.env });
    }
  }
}

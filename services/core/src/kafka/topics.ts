import type { Admin } from './client.ts';
import type { DriftlineConfig } from '../config/settings.ts';
import { topicNames } from '../config/topics.ts';
import { DriftlineError, ServerUnavailableError } from '../errors.ts';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  config: Record<string, string>;
}

/** The topics Driftline creates when missing, from configuration. Changelog topics are compacted. */
export function topicSpecs(config: DriftlineConfig): TopicSpec[] {
  const t = topicNames(config);
  const events = { 'retention.ms': String(config.topicRetentionMs), 'cleanup.policy': 'delete' };
  const spec = (topic: string, extra: Record<string, string> = events): TopicSpec => ({
    topic,
    partitions: config.topicPartitions,
    replicationFactor: config.topicReplication,
    config: extra,
  });
  return [
    spec(t.inference),
    spec(t.groundTruth),
    spec(t.alerts),
    spec(t.retrainTriggers),
    spec(t.deadLetter),
    spec(t.joined),
  ];
}

/** A compacted changelog topic for a state store (Kafka Streams' convention: latest value per key kept). */
export function changelogSpec(config: DriftlineConfig, store: string): TopicSpec {
  return {
    topic: `${config.topicPrefix}internal.${store}-changelog`,
    partitions: config.topicPartitions,
    replicationFactor: config.topicReplication,
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
  };
}

/**
 * Creates the missing topics; leaves existing ones alone. Idempotent and safe to race with other services.
 * @returns the topics it created.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[], timeoutMs = 60_000): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    // No waitForLeaders: on a fresh KRaft broker kafkajs then fails with "does not host this topic-partition"
    // while the broker's metadata trails the controller, an error it does not retry. We poll instead.
    await admin.createTopics({
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: Object.entries(s.config).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  await waitForLeaders(
    admin,
    specs.map((s) => s.topic),
    timeoutMs,
  );
  return missing.map((s) => s.topic);
}

/** Polls until every partition of the topics has a leader the broker knows of. */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await Promise.all(topics.map((t) => admin.fetchTopicOffsets(t)));
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new ServerUnavailableError(
          'kafka',
          `topics have no leaders after ${timeoutMs} ms: ${topics.join(', ')}`,
          error,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Topics joined by key must have the same partition count, or a key lands in different partition numbers.
 * @throws DriftlineError naming both topics and counts.
 */
export async function assertCoPartitioned(admin: Admin, topics: string[]): Promise<number> {
  const { topics: meta } = await admin.fetchTopicMetadata({ topics });
  const counts = meta.map((m) => [m.name, m.partitions.length] as const);
  const first = counts[0];
  const odd = counts.find(([, n]) => n !== first?.[1]);
  if (first && odd) {
    throw new DriftlineError(
      `topics must be co-partitioned: ${first[0]} has ${first[1]} partitions but ${odd[0]} has ${odd[1]}; set DRIFTLINE_TOPIC_PARTITIONS and recreate, or repartition`,
    );
  }
  return first?.[1] ?? 0;
}

// The floor: what a plain kafkajs consumer does with the same two topics when all it does is decode each value and
// insert the rows into ClickHouse, JSONEachRow, one insert per fetched batch, then commit. No exactly-once, no
// dead letters, no metrics: a lower bound on the sink's cost, not a substitute for it.
import type { ClickHouseClient } from '@clickhouse/client';
import avro from 'avsc';
import type { Kafka } from 'kafkajs';
import type { TopicNames } from '../../services/core/src/config/topics.ts';
import { readSchema } from '../../services/core/src/records/schema-files.ts';
import { HEADER_LENGTH } from '../../services/core/src/serde/wire-format.ts';

type Fields = Record<string, unknown>;

/** The same columns the sink writes, from a decoded inference event. */
function inferenceRow(e: Fields, partition: number, offset: string, nowS: number): Fields {
  const features = e.features as Record<string, number | string | boolean | null>;
  const prediction = e.prediction as { label: string | null; value: number | null; scores: object | null };
  const num = Object.entries(features).filter((f): f is [string, number] => typeof f[1] === 'number');
  const cat = Object.entries(features).filter(([, v]) => typeof v === 'string' || typeof v === 'boolean');
  const tags = Object.entries((e.tags as Record<string, string> | null) ?? {});
  return {
    prediction_id: e.prediction_id,
    model_id: e.model_id,
    model_version: e.model_version,
    event_time: Math.floor(Number(e.timestamp) / 1000),
    event_time_ms: e.timestamp,
    predicted_label: prediction.label,
    predicted_value: prediction.value,
    scores: prediction.scores ? JSON.stringify(prediction.scores) : '',
    features: JSON.stringify(features),
    num_feature_names: num.map(([n]) => n),
    num_feature_values: num.map(([, v]) => v),
    cat_feature_names: cat.map(([n]) => n),
    cat_feature_values: cat.map(([, v]) => String(v)),
    latency_ms: e.latency_ms,
    tag_keys: tags.map(([k]) => k),
    tag_values: tags.map(([, v]) => v),
    source_partition: partition,
    source_offset: offset,
    ingested_at: nowS,
  };
}

function groundTruthRow(e: Fields, partition: number, offset: string, nowS: number): Fields {
  const label = e.label as string | number;
  return {
    prediction_id: e.prediction_id,
    model_id: e.model_id ?? '',
    label: String(label),
    label_value: typeof label === 'number' ? label : null,
    event_time: Math.floor(Number(e.timestamp) / 1000),
    event_time_ms: e.timestamp,
    source_partition: partition,
    source_offset: offset,
    ingested_at: nowS,
  };
}

export interface FloorResult {
  seconds: number;
  /** CPU seconds of this process (the consumer) over the run. */
  consumerCpuSeconds: number;
}

/**
 * Consumes both topics from the start into copies of inference_log and ground_truth (floor_*) until `total`
 * rows are inserted; the time runs from the first fetched batch (`onFirstBatch` is called then) to the last insert.
 */
export async function consumeAndInsert(
  kafka: Kafka,
  ch: ClickHouseClient,
  topics: TopicNames,
  total: number,
  groupId: string,
  onFirstBatch: () => void = () => undefined,
): Promise<FloorResult> {
  const routes = new Map([
    [
      topics.inference,
      { table: 'floor_inference_log', like: 'inference_log', schema: 'InferenceEvent', row: inferenceRow },
    ],
    [
      topics.groundTruth,
      { table: 'floor_ground_truth', like: 'ground_truth', schema: 'GroundTruthEvent', row: groundTruthRow },
    ],
  ] as const);
  const types = new Map<string, avro.Type>();
  for (const [topic, r] of routes) {
    await ch.command({ query: `CREATE TABLE IF NOT EXISTS ${r.table} AS ${r.like}` });
    types.set(topic, avro.Type.forSchema(readSchema(r.schema) as avro.Schema));
  }
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.inference, topics.groundTruth], fromBeginning: true });
  let inserted = 0;
  let start = 0;
  let cpuAtStart = process.cpuUsage();
  const finished = new Promise<number>((resolve, reject) => {
    void consumer
      .run({
        eachBatch: async ({ batch }) => {
          if (start === 0) {
            onFirstBatch();
            start = performance.now();
            cpuAtStart = process.cpuUsage();
          }
          const route = routes.get(batch.topic)!;
          const type = types.get(batch.topic)!;
          const nowS = Math.floor(Date.now() / 1000);
          const values = batch.messages.map((m) =>
            route.row(
              type.fromBuffer(m.value!.subarray(HEADER_LENGTH)) as Fields,
              batch.partition,
              m.offset,
              nowS,
            ),
          );
          await ch.insert({ table: route.table, values, format: 'JSONEachRow' });
          inserted += values.length;
          if (inserted >= total) resolve((performance.now() - start) / 1000);
        },
      })
      .catch(reject);
  });
  const seconds = await finished;
  const cpu = process.cpuUsage(cpuAtStart);
  await consumer.disconnect();
  return { seconds, consumerCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import avro from 'avsc';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import { readSchema } from '../../../services/core/src/records/schema-files.ts';

// librdkafka (Python confluent-kafka) is an independent read_committed implementation: kafkajs 2.2.4 lets
// aborted records through when transactions interleave (services/core/src/kafka/kafkajs-read-committed-fix.ts).
const READ_COMMITTED = `
import json, sys
from confluent_kafka import Consumer, KafkaError, TopicPartition
brokers, topic = sys.argv[1], sys.argv[2]
c = Consumer({'bootstrap.servers': brokers, 'group.id': 'verify', 'enable.auto.commit': False,
              'isolation.level': 'read_committed', 'enable.partition.eof': True})
parts = c.list_topics(topic, timeout=10).topics[topic].partitions
c.assign([TopicPartition(topic, p, 0) for p in parts])
eof, out = set(), []
while len(eof) < len(parts):
    m = c.poll(10.0)
    if m is None: sys.exit('timed out reading ' + topic)
    if m.error():
        if m.error().code() == KafkaError._PARTITION_EOF: eof.add(m.partition()); continue
        sys.exit(str(m.error()))
    out.append(m.value().hex())
c.close()
print(json.dumps(out))
`;

/** Every committed record value of a topic, read to its current read_committed end by librdkafka. */
export function readCommitted(topic: string): Buffer[] {
  const python = execFileSync('bash', [path.resolve('infra/python-env.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  const out = execFileSync(
    python,
    ['-c', READ_COMMITTED, process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092', topic],
    { encoding: 'utf8', maxBuffer: 256 << 20 },
  );
  return (JSON.parse(out) as string[]).map((hex) => Buffer.from(hex, 'hex'));
}

const joinedType = avro.Type.forSchema(readSchema('JoinedPrediction') as avro.Schema);

/** Every committed joined pair of the joiner's output topic (values in the wire format), read by librdkafka. */
export function readJoinedPairs(topic: string): JoinedPrediction[] {
  return readCommitted(topic).map((v) => joinedType.fromBuffer(v.subarray(5)) as JoinedPrediction);
}

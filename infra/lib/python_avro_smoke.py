#!/usr/bin/env python3
"""Smoke test for the Python side of the contract: confluent-kafka's
AvroSerializer registers a schema in the registry's Confluent API and produces
Confluent-wire-format records, which AvroDeserializer reads back.

Usage: python_avro_smoke.py BOOTSTRAP REGISTRY_URL TOPIC [COUNT]
Prints one JSON line: {"topic", "subject", "schema_id", "count"}.
The topic is created if missing (the broker does not auto-create topics).
"""

import json
import sys
import uuid

from confluent_kafka import Consumer, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

SCHEMA = json.dumps(
    {
        "type": "record",
        "name": "PySmoke",
        "namespace": "dev.driftline.smoke",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "n", "type": "long"},
            {"name": "score", "type": ["null", "double"], "default": None},
        ],
    }
)


def main():
    bootstrap, registry_url, topic = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 3

    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    try:
        futures[topic].result(30)
    except KafkaException as exc:
        if "TOPIC_ALREADY_EXISTS" not in str(exc):
            raise

    registry = SchemaRegistryClient({"url": registry_url})
    serializer = AvroSerializer(registry, SCHEMA)
    deserializer = AvroDeserializer(registry)
    ctx = SerializationContext(topic, MessageField.VALUE)

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    sent = []
    for i in range(count):
        value = {"id": f"py-{i}", "n": i, "score": i / 2 if i % 2 else None}
        sent.append(value)
        producer.produce(topic, key=value["id"].encode(), value=serializer(value, ctx))
    if producer.flush(30) != 0:
        raise SystemExit("producer did not deliver everything within 30 s")

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"py-smoke-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    got, schema_id = [], None
    try:
        while len(got) < count:
            msg = consumer.poll(30)
            if msg is None:
                raise SystemExit(f"timed out after {len(got)} of {count} records")
            if msg.error():
                raise KafkaException(msg.error())
            raw = msg.value()
            assert raw[0] == 0, "not Confluent wire format"
            schema_id = int.from_bytes(raw[1:5], "big")
            got.append(deserializer(raw, ctx))
    finally:
        consumer.close()
    if got[: len(sent)] != sent:
        raise SystemExit(f"round trip mismatch: {got} != {sent}")
    print(json.dumps({"topic": topic, "subject": f"{topic}-value", "schema_id": schema_id, "count": count}))


if __name__ == "__main__":
    main()

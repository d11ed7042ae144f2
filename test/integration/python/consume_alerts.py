"""Reads alerts and retrain triggers the way on-call tooling or a training pipeline would: confluent-kafka's
own AvroDeserializer against the registry (the writer schema comes from the registry by the id in each
message), read_committed, from the beginning. Prints one JSON object per record:
{"topic": ..., "key": ..., "value": {...}}.

usage: consume_alerts.py BROKERS REGISTRY_URL COUNT TOPIC [TOPIC...]
"""
import json
import sys
import time
import uuid

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

brokers, registry_url, count, *topics = sys.argv[1:]
deserialize = AvroDeserializer(SchemaRegistryClient({"url": registry_url}))
consumer = Consumer(
    {
        "bootstrap.servers": brokers,
        "group.id": f"consume-alerts-{uuid.uuid4()}",
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "enable.auto.commit": False,
    }
)
consumer.subscribe(topics)
got = 0
deadline = time.time() + 60
while got < int(count) and time.time() < deadline:
    msg = consumer.poll(1.0)
    if msg is None or msg.error():
        continue
    value = deserialize(msg.value(), SerializationContext(msg.topic(), MessageField.VALUE))
    print(json.dumps({"topic": msg.topic(), "key": msg.key().decode("utf-8"), "value": value}, default=str))
    got += 1
consumer.close()
if got < int(count):
    sys.exit(f"only {got} of {count} records")

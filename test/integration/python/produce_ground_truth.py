"""Produces ground-truth events the way a Python label source with ordinary settings would: confluent-kafka's
own AvroSerializer and librdkafka's DEFAULT partitioner (consistent_random, a CRC32 of the key), which puts
many keys in another partition than the Java client's murmur2 does.

usage: produce_ground_truth.py BROKERS REGISTRY_URL TOPIC < events.jsonl
Each input line is a GroundTruthEvent as JSON (timestamp in epoch milliseconds). Prints one JSON object per
line: {"prediction_id": ..., "partition": ...}, the partition librdkafka chose.
"""
import json
import pathlib
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer

brokers, registry_url, topic = sys.argv[1:4]
schema = (pathlib.Path(__file__).resolve().parents[3] / "schemas" / "ground-truth-event.avsc").read_text()
serialize = AvroSerializer(SchemaRegistryClient({"url": registry_url}), schema)
key = StringSerializer("utf_8")
producer = Producer({"bootstrap.servers": brokers})  # no "partitioner": librdkafka's default
placed = []


def delivered(error, message):
    if error is not None:
        sys.exit(f"delivery failed: {error}")
    placed.append({"prediction_id": message.key().decode("utf-8"), "partition": message.partition()})


for line in sys.stdin:
    event = json.loads(line)
    producer.produce(
        topic,
        key=key(event["prediction_id"]),
        value=serialize(event, SerializationContext(topic, MessageField.VALUE)),
        on_delivery=delivered,
    )
    producer.poll(0)
producer.flush(30)
for p in placed:
    print(json.dumps(p))

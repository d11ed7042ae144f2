"""Produces inference events the way a Python model server would: confluent-kafka's own AvroSerializer,
pointed at the registry, with the schema from schemas/inference-event.avsc.

usage: produce_avro.py BROKERS REGISTRY_URL TOPIC COUNT ID_PREFIX
"""
import pathlib
import sys
import time

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer

brokers, registry_url, topic, count, prefix = sys.argv[1:6]
schema = (pathlib.Path(__file__).resolve().parents[3] / "schemas" / "inference-event.avsc").read_text()

registry = SchemaRegistryClient({"url": registry_url})
serialize = AvroSerializer(registry, schema)
key = StringSerializer("utf_8")
producer = Producer({"bootstrap.servers": brokers, "partitioner": "murmur2_random"})
now = int(time.time() * 1000)
for i in range(int(count)):
    event = {
        "prediction_id": f"{prefix}-{i}",
        "model_id": "py-model",
        "model_version": "1.0",
        "timestamp": now + i,
        "features": {"age": 30.0 + i, "country": "DE", "vip": i % 2 == 0, "note": None},
        "prediction": {"label": None, "scores": None, "value": 0.5 * i},
        "latency_ms": 1.5,
        "tags": {"lang": "python"},
    }
    producer.produce(
        topic,
        key=key(event["prediction_id"]),
        value=serialize(event, SerializationContext(topic, MessageField.VALUE)),
    )
producer.flush(30)
print(f"produced {count}")

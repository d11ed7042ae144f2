"""Produces inference events and their ground truth the way a Python model server and a labelling job would:
confluent-kafka (librdkafka) with a compression codec, batching (linger), and confluent-kafka's own
AvroSerializer against the registry. Every event is acknowledged by the broker before it exits.

usage: produce_compressed.py BROKERS REGISTRY_URL INFERENCE_TOPIC GROUND_TRUTH_TOPIC COUNT ID_PREFIX CODEC
  CODEC: gzip, snappy, lz4 or zstd (librdkafka's compression.type)
Prints one JSON line: {"codec": ..., "inference": N, "ground_truth": N}.
"""
import json
import pathlib
import sys
import time

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer

brokers, registry_url, inference_topic, truth_topic, count, prefix, codec = sys.argv[1:8]
schemas = pathlib.Path(__file__).resolve().parents[3] / "schemas"
registry = SchemaRegistryClient({"url": registry_url})
serialize_inference = AvroSerializer(registry, (schemas / "inference-event.avsc").read_text())
serialize_truth = AvroSerializer(registry, (schemas / "ground-truth-event.avsc").read_text())
key = StringSerializer("utf_8")
producer = Producer(
    {
        "bootstrap.servers": brokers,
        # The Java partitioner, which Driftline's joins assume (see the README on partitioning).
        "partitioner": "murmur2_random",
        "compression.type": codec,
        # Many records per batch, as a busy producer makes them: the codec then compresses real batches.
        "linger.ms": 50,
        "batch.num.messages": 500,
        "enable.idempotence": True,
    }
)
delivered = {"inference": 0, "ground_truth": 0}
failed = []


def on_delivery(kind):
    def report(error, _msg):
        if error is None:
            delivered[kind] += 1
        else:
            failed.append(str(error))

    return report


now = int(time.time() * 1000)
classes = ["cat", "dog", "bird"]
for i in range(int(count)):
    prediction_id = f"{prefix}-{i}"
    label = classes[i % 3]
    inference = {
        "prediction_id": prediction_id,
        "model_id": f"codec-{codec}",
        "model_version": "v1",
        "timestamp": now + i,
        "features": {"age": 20.0 + i % 50, "country": ["DE", "FR", "US"][i % 3], "vip": i % 2 == 0},
        "prediction": {"label": label, "scores": {label: 0.7, "other": 0.3}, "value": None},
        "latency_ms": 2.5,
        "tags": {"codec": codec},
    }
    truth = {"prediction_id": prediction_id, "timestamp": now + i + 1000, "label": classes[(i + i // 7) % 3]}
    producer.produce(
        inference_topic,
        key=key(prediction_id),
        value=serialize_inference(inference, SerializationContext(inference_topic, MessageField.VALUE)),
        on_delivery=on_delivery("inference"),
    )
    producer.produce(
        truth_topic,
        key=key(prediction_id),
        value=serialize_truth(truth, SerializationContext(truth_topic, MessageField.VALUE)),
        on_delivery=on_delivery("ground_truth"),
    )
    producer.poll(0)
producer.flush(60)
if failed or delivered["inference"] != int(count) or delivered["ground_truth"] != int(count):
    sys.exit(f"not every event was delivered: {delivered}, errors: {failed[:3]}")
print(json.dumps({"codec": codec, **delivered}))

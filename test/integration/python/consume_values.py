"""Reads a topic the way any librdkafka-based client would (confluent-kafka), from the beginning, whatever
codec its batches were compressed with. Prints one JSON line per record: {"key": ..., "value": ...} (UTF-8).

usage: consume_values.py BROKERS TOPIC COUNT
"""
import json
import sys
import time
import uuid

from confluent_kafka import Consumer

brokers, topic, count = sys.argv[1:4]
consumer = Consumer(
    {
        "bootstrap.servers": brokers,
        "group.id": f"consume-values-{uuid.uuid4()}",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    }
)
consumer.subscribe([topic])
got = 0
errors = []
deadline = time.time() + 60
while got < int(count) and time.time() < deadline:
    msg = consumer.poll(1.0)
    if msg is None:
        continue
    if msg.error():
        errors.append(str(msg.error()))
        continue
    print(json.dumps({"key": msg.key().decode("utf-8"), "value": msg.value().decode("utf-8")}))
    got += 1
consumer.close()
if got < int(count):
    sys.exit(f"read {got} of {count} records from {topic}; errors: {errors[:3]}")

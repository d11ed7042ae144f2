"""Produces a file of encoded records with librdkafka: the pipeline benchmark's load generator.

    python produce.py BOOTSTRAP RECORDS_FILE RATE SENT_FILE TOPIC...

RECORDS_FILE holds records one after another: the topic's index in TOPIC... (1 byte), the key's length (4 bytes,
big-endian) and bytes, the value's length and bytes. Loads them and fetches the topics' metadata, prints
`ready`, waits for a line on stdin, then produces them in file order: as fast as librdkafka goes when RATE is 0,
else RATE records a second (every 10 ms, whatever is due), writing each record's send time (CLOCK_MONOTONIC, ms,
little-endian doubles) to SENT_FILE. Then flushes, prints `done SECONDS FAILED` and waits for stdin to close (its
CPU is read before it exits).

librdkafka's defaults (linger 5 ms, acks all, batches of up to 1 MB) but for the partitioner: murmur2_random, the
Java client's and kafkajs', so records land where earlier rounds' kafkajs producer put them (librdkafka's default,
consistent_random, would send most of them to another partition than the Java client, which the label joiner
absorbs by forwarding them: another figure, not this one).
"""

import array
import struct
import sys
import time

from confluent_kafka import KafkaException, Producer


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    records, at = [], 0
    while at < len(data):
        topic = data[at]
        (key_len,) = struct.unpack_from(">I", data, at + 1)
        key = data[at + 5 : at + 5 + key_len]
        at += 5 + key_len
        (value_len,) = struct.unpack_from(">I", data, at)
        value = data[at + 4 : at + 4 + value_len]
        at += 4 + value_len
        records.append((topic, key, value))
    return records


def main():
    bootstrap, path, rate, sent_path, *topics = sys.argv[1:]
    rate = float(rate)
    records = load(path)
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "partitioner": "murmur2_random",
            "queue.buffering.max.messages": 1_000_000,
            "queue.buffering.max.kbytes": 1_048_576,
        }
    )
    for topic in topics:
        producer.list_topics(topic, timeout=30)
    failed = 0

    def delivered(err, _msg):
        nonlocal failed
        if err is not None:
            failed += 1

    def send(topic, key, value):
        while True:
            try:
                producer.produce(topics[topic], value, key, on_delivery=delivered)
                return
            except BufferError:
                producer.poll(0.005)

    sent = array.array("d", bytes(8 * len(records))) if rate > 0 else None
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.perf_counter()
    if rate > 0:
        begin = time.monotonic()
        nxt = 0
        while nxt < len(records):
            now = time.monotonic()
            due = min(len(records), int((now - begin) * rate))
            now_ms = now * 1000
            for i in range(nxt, due):
                send(*records[i])
                sent[i] = now_ms
            nxt = max(nxt, due)
            producer.poll(0)
            time.sleep(max(0.0, 0.01 - (time.monotonic() - now)))
        with open(sent_path, "wb") as f:
            sent.tofile(f)
    else:
        for record in records:
            send(*record)
    remaining = producer.flush(120)
    if remaining:
        raise KafkaException(f"{remaining} records not delivered within 120 s")
    print(f"done {time.perf_counter() - start:.3f} {failed}", flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()

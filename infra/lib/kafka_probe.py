#!/usr/bin/env python3
"""Kafka health probe using the broker protocol itself (stdlib only).

Sends ApiVersions v0, then a Metadata request at a non-flexible version the
broker supports (v4..v8), and succeeds only if the broker lists at least one
broker. In KRaft mode the listener only answers this once the broker has
registered with the controller and caught up with metadata, so a success means
clients can really work. Usage: kafka_probe.py HOST:PORT [-v]
"""

import socket
import struct
import sys

API_METADATA = 3
API_VERSIONS = 18


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        buf += chunk
    return buf


def call(sock, api_key, version, corr, body=b""):
    client_id = b"driftline-probe"
    header = struct.pack(">hhih", api_key, version, corr, len(client_id)) + client_id
    msg = header + body
    sock.sendall(struct.pack(">i", len(msg)) + msg)
    (size,) = struct.unpack(">i", recv_exact(sock, 4))
    data = recv_exact(sock, size)
    (got,) = struct.unpack(">i", data[:4])
    if got != corr:
        raise ValueError(f"correlation id {got} != {corr}")
    return data[4:]


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        vals = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return vals[0] if len(vals) == 1 else vals

    def string(self):
        n = self.take(">h")
        if n < 0:
            return None
        s = self.data[self.pos : self.pos + n].decode()
        self.pos += n
        return s


def probe(host, port):
    with socket.create_connection((host, port), timeout=3) as sock:
        sock.settimeout(3)
        r = Reader(call(sock, API_VERSIONS, 0, 1))
        err = r.take(">h")
        if err != 0:
            raise RuntimeError(f"ApiVersions error {err}")
        ranges = {}
        for _ in range(r.take(">i")):
            key, lo, hi = r.take(">hhh")
            ranges[key] = (lo, hi)
        lo, hi = ranges.get(API_METADATA, (0, -1))
        version = min(hi, 8)
        if version < max(lo, 4):
            raise RuntimeError(f"no usable Metadata version (broker supports {lo}..{hi})")
        # topics: empty array (= no topics); allow_auto_topic_creation=false;
        # v8 adds two include_*_authorized_operations booleans.
        body = struct.pack(">i?", 0, False)
        if version >= 8:
            body += struct.pack(">??", False, False)
        r = Reader(call(sock, API_METADATA, version, 2, body))
        if version >= 3:
            r.take(">i")  # throttle_time_ms
        brokers = []
        for _ in range(r.take(">i")):
            node_id = r.take(">i")
            bhost = r.string()
            bport = r.take(">i")
            r.string()  # rack
            brokers.append(f"{node_id}@{bhost}:{bport}")
        cluster_id = r.string()
        controller = r.take(">i")
        if not brokers:
            raise RuntimeError("metadata lists no brokers yet")
        return f"metadata v{version}: brokers {','.join(brokers)} controller {controller} cluster {cluster_id}"


def main():
    host, _, port = sys.argv[1].rpartition(":")
    try:
        summary = probe(host or "127.0.0.1", int(port))
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy yet"
        if "-v" in sys.argv:
            print(f"kafka not healthy: {exc}", file=sys.stderr)
        return 1
    if "-v" in sys.argv:
        print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())

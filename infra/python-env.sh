#!/usr/bin/env bash
# Idempotently creates a Python venv in the cache dir with confluent-kafka and
# everything its AvroSerializer/AvroDeserializer import, and prints the venv's
# python path as the last line of stdout (progress goes to stderr).
#   PY="$(bash infra/python-env.sh | tail -n1)"
# Env: DRIFTLINE_HOME, DRIFTLINE_PYTHON (interpreter for the venv, default python3),
# DRIFTLINE_CONFLUENT_KAFKA_SPEC (pip requirement), DRIFTLINE_MCP_SPEC (the MCP client the MCP
# server's integration test drives), DRIFTLINE_CHDB_SPEC (embedded current ClickHouse, 26.x: the tests check
# that the project's SQL and RowBinary also hold there, beside the Debian server the stack runs).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=infra/lib/common.sh
source "$here/lib/common.sh"

VENV="$DRIFTLINE_HOME/python-venv"
# [avro] brings fastavro/avro/requests, [schemaregistry] the HTTP client and
# auth libraries (httpx, attrs, cachetools, authlib) the serializers import.
SPEC="${DRIFTLINE_CONFLUENT_KAFKA_SPEC:-confluent-kafka[avro,schemaregistry]==2.16.0}"
MCP_SPEC="${DRIFTLINE_MCP_SPEC:-mcp==2.3.0}"
CHDB_SPEC="${DRIFTLINE_CHDB_SPEC:-chdb==4.4.0}"
STAMP="$VENV/.driftline-spec"

imports_ok() {
  "$VENV/bin/python" - <<'PY' 2>/dev/null
from confluent_kafka import Producer, Consumer
from confluent_kafka.admin import AdminClient
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer, AvroDeserializer
from mcp import ClientSession
import chdb
PY
}

up_to_date() { [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(<"$STAMP")" == "$SPEC $MCP_SPEC $CHDB_SPEC" ]] && imports_ok; }

build_venv() {
  up_to_date && return 0
  local py="${DRIFTLINE_PYTHON:-python3}"
  if [[ ! -x "$VENV/bin/python" ]]; then
    info "creating Python venv $VENV with $py"
    "$py" -m venv "$VENV" || die "could not create a venv with $py (on Debian: apt-get install -y python3-venv)"
  fi
  info "installing $SPEC $MCP_SPEC $CHDB_SPEC into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "$SPEC" "$MCP_SPEC" "$CHDB_SPEC" >&2 ||
    die "pip install $SPEC $MCP_SPEC $CHDB_SPEC failed"
  imports_ok || die "confluent_kafka's Avro serializers, mcp's ClientSession or chdb still fail to import in $VENV"
  printf '%s' "$SPEC $MCP_SPEC $CHDB_SPEC" >"$STAMP"
}

if ! up_to_date; then
  with_lock python-env build_venv
fi
printf '%s\n' "$VENV/bin/python"

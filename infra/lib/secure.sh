# shellcheck shell=bash
# The secured profile (`stack.sh --secure ...` or DRIFTLINE_PROFILE=secure): a second set of servers on other
# ports and another data dir, so the plain stack everyone uses is untouched. Kafka speaks SASL/SCRAM-SHA-512
# over TLS only, ClickHouse knows only password users limited to the pipeline's database, the registry wants
# HTTP basic auth. Certificates and passwords are made here, once per data dir, and never leave it: clients
# read them from the environment files written below (mode 600).
#
# Sourced by stack.sh BEFORE lib/common.sh: it only sets defaults the common script then keeps.

SECURE_DEFAULT_DATA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.infra-data/secure"
DRIFTLINE_DATA_DIR="${DRIFTLINE_DATA_DIR:-$SECURE_DEFAULT_DATA_DIR}"
DRIFTLINE_KAFKA_PORT="${DRIFTLINE_SECURE_KAFKA_PORT:-19092}"
DRIFTLINE_KAFKA_CONTROLLER_PORT="${DRIFTLINE_SECURE_KAFKA_CONTROLLER_PORT:-19093}"
DRIFTLINE_REGISTRY_PORT="${DRIFTLINE_SECURE_REGISTRY_PORT:-18081}"
DRIFTLINE_REGISTRY_MANAGEMENT_PORT="${DRIFTLINE_SECURE_REGISTRY_MANAGEMENT_PORT:-19081}"
DRIFTLINE_CLICKHOUSE_HTTP_PORT="${DRIFTLINE_SECURE_CLICKHOUSE_HTTP_PORT:-18123}"
DRIFTLINE_CLICKHOUSE_TCP_PORT="${DRIFTLINE_SECURE_CLICKHOUSE_TCP_PORT:-19000}"
# The one database the pipeline's ClickHouse users may touch.
SECURE_DATABASE="${DRIFTLINE_CLICKHOUSE_DATABASE:-ml_monitor}"
# Another lock than the plain stack's: starting one never waits for the other.
STACK_LOCK=stack-secure

secure_dir() { printf '%s/secrets' "$DRIFTLINE_DATA_DIR"; }
tls_dir() { printf '%s/tls' "$DRIFTLINE_DATA_DIR"; }

# Random passwords, made once per data dir; a fresh data dir gets fresh ones.
# secrets.sh holds the servers' side (sourced by these scripts), pipeline.env and reader.env the clients'.
secure_secrets() {
  local dir file
  dir="$(secure_dir)"
  file="$dir/secrets.sh"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$dir"
    chmod 700 "$dir"
    (
      umask 077
      {
        printf 'KAFKA_ADMIN_PASSWORD=%s\n' "$(openssl rand -hex 24)"
        printf 'KAFKA_CONTROLLER_PASSWORD=%s\n' "$(openssl rand -hex 24)"
        printf 'KAFKA_PIPELINE_PASSWORD=%s\n' "$(openssl rand -hex 24)"
        printf 'KEYSTORE_PASSWORD=%s\n' "$(openssl rand -hex 24)"
        printf 'REGISTRY_PASSWORD=%s\n' "$(openssl rand -hex 24)"
        printf 'CLICKHOUSE_PIPELINE_PASSWORD=%s\n' "$(openssl rand -hex 24)"
        printf 'CLICKHOUSE_READER_PASSWORD=%s\n' "$(openssl rand -hex 24)"
      } >"$file"
    )
  fi
  # shellcheck disable=SC1090
  source "$file"
  secure_write_client_env
}

# What a client needs, as KEY=value lines (source them, or pass them to `env`). The reader's file differs only
# in its ClickHouse user: the report and the MCP server need nothing more.
secure_write_client_env() {
  local dir
  dir="$(secure_dir)"
  (
    umask 077
    secure_client_env driftline "$CLICKHOUSE_PIPELINE_PASSWORD" >"$dir/pipeline.env"
    secure_client_env driftline_reader "$CLICKHOUSE_READER_PASSWORD" >"$dir/reader.env"
  )
}

secure_client_env() {
  cat <<EOF
DRIFTLINE_KAFKA_BROKERS=127.0.0.1:$DRIFTLINE_KAFKA_PORT
DRIFTLINE_KAFKA_SASL_MECHANISM=scram-sha-512
DRIFTLINE_KAFKA_USERNAME=driftline
DRIFTLINE_KAFKA_PASSWORD=$KAFKA_PIPELINE_PASSWORD
DRIFTLINE_KAFKA_SSL=true
DRIFTLINE_KAFKA_SSL_CA_FILE=$(tls_dir)/ca.pem
DRIFTLINE_SCHEMA_REGISTRY_URL=http://127.0.0.1:$DRIFTLINE_REGISTRY_PORT/apis/ccompat/v7
DRIFTLINE_SCHEMA_REGISTRY_USERNAME=driftline
DRIFTLINE_SCHEMA_REGISTRY_PASSWORD=$REGISTRY_PASSWORD
DRIFTLINE_CLICKHOUSE_URL=http://127.0.0.1:$DRIFTLINE_CLICKHOUSE_HTTP_PORT
DRIFTLINE_CLICKHOUSE_USER=$1
DRIFTLINE_CLICKHOUSE_PASSWORD=$2
DRIFTLINE_CLICKHOUSE_DATABASE=$SECURE_DATABASE
EOF
}

# A private CA and one server certificate for 127.0.0.1/localhost signed by it (made once per data dir).
# Kafka reads the key pair as PKCS12; clients trust ca.pem.
secure_certificates() {
  local dir
  dir="$(tls_dir)"
  [[ -s "$dir/kafka.p12" ]] && return 0
  mkdir -p "$dir"
  chmod 700 "$dir"
  local log="$dir/openssl.log"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Driftline local CA" \
      -keyout "$dir/ca.key" -out "$dir/ca.pem"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.csr"
    printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' \
      'keyUsage=digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' >"$dir/server.ext"
    openssl x509 -req -days 825 -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
      -CAcreateserial -extfile "$dir/server.ext" -out "$dir/server.pem"
    openssl pkcs12 -export -name kafka -in "$dir/server.pem" -inkey "$dir/server.key" -certfile "$dir/ca.pem" \
      -passout "pass:$KEYSTORE_PASSWORD" -out "$dir/kafka.p12"
  } >"$log" 2>&1 || die "secure: making certificates failed, see $log"
  chmod 600 "$dir"/*.key "$dir/kafka.p12"
  chmod 644 "$dir/ca.pem"
}

# curl with basic auth read from stdin, so no password shows in the process list.
curl_as() {
  printf 'user = "%s:%s"\n' "$1" "$2" | curl -fsS -m 3 -K - "$3" 2>/dev/null
}

secure_prepare() {
  ensure_dirs
  secure_secrets
  secure_certificates
}

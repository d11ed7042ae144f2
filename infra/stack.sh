#!/usr/bin/env bash
# Local Kafka (KRaft), Schema Registry (Apicurio) and ClickHouse as plain
# processes on 127.0.0.1, for tests, CI and the demo.
#
#   bash infra/stack.sh install                      download/install what is missing
#   bash infra/stack.sh start  [kafka|registry|clickhouse ...]
#   bash infra/stack.sh stop   [kafka|registry|clickhouse ...]
#   bash infra/stack.sh status
#   bash infra/stack.sh restart [...]
#   bash infra/stack.sh --secure start|stop|status|restart [...]   the secured profile (infra/lib/secure.sh)
#
# Env: DRIFTLINE_PROFILE=secure (same as --secure), DRIFTLINE_HOME (cache, default ~/.cache/driftline), DRIFTLINE_DATA_DIR
# (default <repo>/.infra-data), DRIFTLINE_KAFKA_PORT, DRIFTLINE_KAFKA_CONTROLLER_PORT,
# DRIFTLINE_REGISTRY_PORT, DRIFTLINE_CLICKHOUSE_HTTP_PORT, DRIFTLINE_CLICKHOUSE_TCP_PORT,
# DRIFTLINE_KAFKA_VERSION, DRIFTLINE_START_TIMEOUT, DRIFTLINE_STOP_TIMEOUT.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STACK_LOCK=stack
SECURE=0
[[ "${DRIFTLINE_PROFILE:-}" == secure ]] && SECURE=1
args=()
for arg in "$@"; do
  if [[ "$arg" == --secure ]]; then SECURE=1; else args+=("$arg"); fi
done
set -- "${args[@]}"
if ((SECURE)); then
  # shellcheck source=infra/lib/secure.sh
  source "$here/lib/secure.sh"
fi
# shellcheck source=infra/lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=infra/kafka/kafka.sh
source "$here/kafka/kafka.sh"
# shellcheck source=infra/registry/registry.sh
source "$here/registry/registry.sh"
# shellcheck source=infra/clickhouse/clickhouse.sh
source "$here/clickhouse/clickhouse.sh"
if ((SECURE)); then
  # shellcheck source=infra/kafka/kafka-secure.sh
  source "$here/kafka/kafka-secure.sh"
  # shellcheck source=infra/registry/registry-secure.sh
  source "$here/registry/registry-secure.sh"
  # shellcheck source=infra/clickhouse/clickhouse-secure.sh
  source "$here/clickhouse/clickhouse-secure.sh"
fi

ALL_SERVICES=(kafka registry clickhouse)
declare -A STARTED_AT=() FRESH=() # per server: launch time, launched by this run

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Validates service names; none given means all of them.
select_services() {
  local s
  SERVICES=()
  (($#)) || set -- "${ALL_SERVICES[@]}"
  for s in "$@"; do
    case "$s" in
      kafka | registry | clickhouse) SERVICES+=("$s") ;;
      *) die "unknown server '$s' (expected: ${ALL_SERVICES[*]})" ;;
    esac
  done
}

pid_of() { server_pid "$1" "$("${1}_marker")"; }

main_port() { read -r -a p <<<"$("${1}_ports")" && printf '%s' "${p[0]}"; }

cmd_install() {
  local s
  ensure_dirs
  for s in "${SERVICES[@]}"; do "${s}_install"; done
}

# Refuses to start over a port someone else holds: the health check would
# otherwise happily report the stranger as healthy.
check_ports_free() {
  local svc="$1" port
  for port in $("${svc}_ports"); do
    if port_open "$port"; then
      die "$svc: port $port on 127.0.0.1 is already in use by a process this stack did not start (see: ss -ltnp 'sport = :$port')"
    fi
  done
}

fail_start() {
  local svc="$1" why="$2" log
  info "stack: $svc did not come up: $why"
  for log in $("${svc}_logs"); do
    [[ -s "$log" ]] || continue
    info "---- last lines of $log ----"
    tail -n 15 "$log" >&2 || true
  done
  info "stack: $svc logs: $("${svc}_logs")"
}

cmd_start() {
  local s pid
  ensure_dirs
  ((SECURE == 0)) || secure_prepare
  for s in "${SERVICES[@]}"; do "${s}_install"; done
  for s in "${SERVICES[@]}"; do
    pid="$(pid_of "$s")"
    # Before the launch: Kafka's first start formats its storage there.
    STARTED_AT[$s]="$(now)"
    if [[ -n "$pid" ]]; then
      FRESH[$s]=0
    else
      check_ports_free "$s"
      "${s}_launch"
      FRESH[$s]=1
    fi
  done
  wait_healthy
}

# Polls all pending servers together so each one's time is measured fairly.
wait_healthy() {
  local -a pending=("${SERVICES[@]}") still
  local s pid failed=0 deadline
  deadline=$((SECONDS + DRIFTLINE_START_TIMEOUT))
  while ((${#pending[@]})); do
    still=()
    for s in "${pending[@]}"; do
      # Liveness by pid only: while the launcher execs the server, its
      # /proc cmdline can briefly read empty and miss the marker.
      pid="$(cat "$(pid_file "$s")" 2>/dev/null || true)"
      if ! pid_alive "$pid"; then
        fail_start "$s" "the process exited"
        failed=1
      elif "${s}_healthy"; then
        if [[ "${FRESH[$s]}" == 1 ]]; then
          printf '%-10s healthy in %s s   RSS %s MB   (pid %s, port %s)\n' \
            "$s" "$(elapsed_since "${STARTED_AT[$s]}")" "$(rss_mb "$pid")" "$pid" "$(main_port "$s")"
        else
          printf '%-10s already running, healthy   RSS %s MB   (pid %s, port %s)\n' \
            "$s" "$(rss_mb "$pid")" "$pid" "$(main_port "$s")"
        fi
      elif ((SECONDS >= deadline)); then
        fail_start "$s" "not healthy after ${DRIFTLINE_START_TIMEOUT} s"
        # Do not leave a half-started server of ours behind.
        [[ "${FRESH[$s]}" == 1 ]] && stop_pid "$s" "$pid" && rm -f "$(pid_file "$s")"
        failed=1
      else
        still+=("$s")
      fi
    done
    pending=("${still[@]}")
    ((${#pending[@]})) && sleep 0.2
  done
  ((failed == 0)) || die "start failed (see the logs named above)"
}

cmd_stop() {
  local s pid
  ensure_dirs
  for s in "${SERVICES[@]}"; do
    pid="$(pid_of "$s")"
    if [[ -n "$pid" ]]; then
      local t0
      t0="$(now)"
      stop_pid "$s" "$pid"
      printf '%-10s stopped in %s s\n' "$s" "$(elapsed_since "$t0")"
    else
      printf '%-10s not running\n' "$s"
    fi
    rm -f "$(pid_file "$s")"
  done
}

cmd_status() {
  local s pid
  for s in "${SERVICES[@]}"; do
    pid="$(pid_of "$s")"
    if [[ -n "$pid" ]]; then
      printf '%-10s running   pid %-8s port %-5s RSS %s MB\n' "$s" "$pid" "$(main_port "$s")" "$(rss_mb "$pid")"
    else
      printf '%-10s stopped   pid %-8s port %-5s\n' "$s" "-" "$(main_port "$s")"
    fi
  done
}

main() {
  (($#)) || usage
  local cmd="$1"
  shift
  select_services "$@"
  case "$cmd" in
    install) with_lock "$STACK_LOCK" cmd_install ;;
    start) with_lock "$STACK_LOCK" cmd_start ;;
    stop) with_lock "$STACK_LOCK" cmd_stop ;;
    restart) with_lock "$STACK_LOCK" cmd_stop && with_lock "$STACK_LOCK" cmd_start ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"

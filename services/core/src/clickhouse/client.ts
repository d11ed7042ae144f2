import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { DriftlineConfig } from '../config/settings.ts';

export type { ClickHouseClient };

/** A ClickHouse client for the configured server. The database is not selected: SQL names it explicitly. */
export function createClickHouse(
  config: Pick<DriftlineConfig, 'clickhouseUrl' | 'clickhouseUser' | 'clickhousePassword'>,
): ClickHouseClient {
  return createClient({
    url: config.clickhouseUrl,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    request_timeout: 60_000,
    // ClickHouse closes an idle connection after keep_alive_timeout (3 s by default, and in infra/); the client's
    // 2.5 s leaves a busy process (a late timer) reusing a socket the server just closed: EPIPE / ECONNRESET on
    // an insert. 1.5 s keeps clear of it (the writer would retry, but the attempt is wasted).
    keep_alive: { idle_socket_ttl: 1_500 },
    // Old servers (18.16) reject some settings the client may send by default; keep the request plain.
    clickhouse_settings: {},
  });
}

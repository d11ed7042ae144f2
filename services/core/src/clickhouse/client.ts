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
    // Old servers (18.16) reject some settings the client may send by default; keep the request plain.
    clickhouse_settings: {},
  });
}

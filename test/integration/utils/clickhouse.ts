import { createClient, type ClickHouseClient } from '@clickhouse/client';

export function testClickHouse(): ClickHouseClient {
  return createClient({ url: process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123' });
}

/** Runs a query and returns its rows, numbers parsed. */
export async function rows<T = Record<string, unknown>>(
  client: ClickHouseClient,
  query: string,
): Promise<T[]> {
  const result = await client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

export async function scalar(client: ClickHouseClient, query: string): Promise<number> {
  const r = await rows<Record<string, string | number>>(client, query);
  return Number(Object.values(r[0] ?? { v: NaN })[0]);
}

/** Returns 0 while the table does not exist yet (the service creates it at start-up). */
export async function countOrZero(client: ClickHouseClient, query: string): Promise<number> {
  try {
    return await scalar(client, query);
  } catch (error) {
    if (/doesn't exist|UNKNOWN_TABLE|Unknown table|UNKNOWN_DATABASE/i.test(String(error))) return 0;
    throw error;
  }
}

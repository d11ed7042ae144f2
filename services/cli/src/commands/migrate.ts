import { loadConfig } from '../../../core/src/config/load.ts';
import { createClickHouse } from '../../../core/src/clickhouse/client.ts';
import { migrate } from '../../../core/src/clickhouse/migrate.ts';

/** Applies pending ClickHouse migrations and lists what it did. */
export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  const client = createClickHouse(config);
  try {
    const { applied, alreadyApplied } = await migrate(client, config.clickhouseDatabase);
    for (const m of applied) console.log(`applied ${String(m.version).padStart(4, '0')}_${m.name}`);
    console.log(
      `${applied.length} applied, ${alreadyApplied} already applied, database ${config.clickhouseDatabase}`,
    );
  } finally {
    await client.close();
  }
}

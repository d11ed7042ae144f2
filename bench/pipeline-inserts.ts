// How many inserts each ClickHouse table takes under a default `driftline up` at a moderate rate:
//   npx tsx bench/pipeline-inserts.ts [events/s=9000] [paced seconds=30]
// The pipeline benchmark's latency run (a 10 s warm-up on three models, then the paced stream), then, per table,
// the parts ClickHouse wrote for inserts (level 0: merges write higher levels) and their rows. Each insert is a
// part to write and later merge whatever its rows, so at moderate rates the number of inserts is much of what
// ClickHouse's CPU follows.
import { Deployment } from './pipeline/deployment.ts';
import { runLatency } from './pipeline/latency.ts';

const RATE = Number(process.argv[2] ?? 9000);
const SECONDS = Number(process.argv[3] ?? 30);

const d = new Deployment();
try {
  const r = await runLatency(d, RATE, SECONDS);
  const parts = await d.ch.query({
    query: `SELECT table, countIf(level = 0) AS inserts, sumIf(rows, level = 0) AS rows, countIf(level > 0) AS merges
            FROM system.parts WHERE database = '${d.database}' AND table != 'schema_migrations'
            GROUP BY table ORDER BY inserts DESC`,
    format: 'JSONEachRow',
  });
  const rows = await parts.json<{ table: string; inserts: string; rows: string; merges: string }>();
  console.log(
    `${r.events} events paced at ${r.rate} events/s for ${SECONDS} s after a warm-up of ${r.warmUp.events}`,
  );
  console.log('table                          inserts      rows   merged parts');
  let total = 0;
  for (const t of rows) {
    total += Number(t.inserts);
    console.log(
      `${t.table.padEnd(28)}${t.inserts.padStart(9)}${t.rows.padStart(10)}${t.merges.padStart(15)}`,
    );
  }
  console.log(`${'all tables'.padEnd(28)}${String(total).padStart(9)}`);
} finally {
  d.stopServices();
  await d.drop();
}
process.exit(0);

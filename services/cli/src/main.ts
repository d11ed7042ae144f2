import { Command } from 'commander';
import { settingsTable } from '../../core/src/config/load.ts';
import { describe } from '../../core/src/errors.ts';
import { demo } from './commands/demo.ts';
import { down } from './commands/down.ts';
import { ingest } from './commands/ingest.ts';
import { mcp } from './commands/mcp.ts';
import { migrateCommand } from './commands/migrate.ts';
import { status } from './commands/status.ts';
import { up } from './commands/up.ts';
import { applyLocalStackDefaults } from './local-env.ts';
import { importServiceSettings } from './service-settings.ts';

applyLocalStackDefaults();

interface ReferenceCliOptions {
  model: string;
  version: string;
  from?: string;
  fromClickhouse?: boolean;
  since?: string;
  until?: string;
  limit?: string;
  bins?: string;
  out?: string;
  dryRun?: boolean;
}

const program = new Command('driftline').description(
  'Streaming ML model monitoring on Kafka and ClickHouse.',
);

program.command('up').description('start the local servers and all pipeline services').action(up);
program
  .command('down')
  .description('stop the services gracefully, then the local servers')
  .option('--keep-servers', 'stop only the services')
  .action((o: { keepServers?: boolean }) => down(o));
program.command('status').description('servers, services and consumer lag').action(status);
program.command('migrate').description('apply pending ClickHouse migrations').action(migrateCommand);
program
  .command('ingest')
  .description('HTTP ingest: POST JSON inference / ground-truth events to /v1/inference, /v1/ground-truth')
  .action(ingest);
program
  .command('mcp')
  .description('MCP server of read-only diagnosis tools over ClickHouse (stdio; --http: Streamable HTTP)')
  .option(
    '--http',
    'serve Streamable HTTP on DRIFTLINE_MCP_HOST:DRIFTLINE_MCP_PORT behind DRIFTLINE_MCP_TOKEN',
  )
  .action((o: { http?: boolean }) => mcp(o));
program
  .command('demo')
  .description(
    'start everything, produce traffic with a data drift and a concept shift, show what the pipeline makes of it',
  )
  .option('--per-window <n>', 'classifier predictions per one-minute window', '1000')
  .option('--timeout <seconds>', 'give up waiting for alerts after this long', '600')
  .option('--keep-running', 'leave the stack and services up afterwards')
  .action((o: { perWindow: string; timeout: string; keepRunning?: boolean }) =>
    demo({ perWindow: Number(o.perWindow), timeoutSec: Number(o.timeout), keepRunning: !!o.keepRunning }),
  );
const reference = program.command('reference').description('reference profiles for the drift monitor');
reference
  .command('build')
  .description('build a reference profile from a file (CSV, JSON lines) or a time range of inference_log')
  .requiredOption('--model <id>', 'model_id')
  .requiredOption('--version <v>', 'model_version')
  .option('--from <file>', 'a .csv or .jsonl file of events')
  .option('--from-clickhouse', 'read inference_log instead (with --since and --until)')
  .option('--since <time>', 'ISO-8601 or epoch ms')
  .option('--until <time>', 'ISO-8601 or epoch ms')
  .option('--limit <n>', 'at most this many events')
  .option('--bins <n>', 'quantile bins per numeric feature')
  .option('--out <file>', 'also write the profile JSON here')
  .option('--dry-run', 'build and show, but do not store')
  .action(async (o: ReferenceCliOptions) => {
    const { buildReferenceCommand } = await import('../../drift-monitor/src/reference-build.ts');
    const result = await buildReferenceCommand({
      modelId: o.model,
      modelVersion: o.version,
      from: o.from,
      fromClickHouse: o.fromClickhouse
        ? { since: o.since ?? '', until: o.until ?? '', limit: o.limit ? Number(o.limit) : undefined }
        : undefined,
      bins: o.bins ? Number(o.bins) : undefined,
      out: o.out,
      dryRun: o.dryRun,
    });
    console.log(JSON.stringify(result, null, 2));
  });
program
  .command('report')
  .description(
    'performance, drift and alerts of a model over a time range: a terminal table and an HTML page',
  )
  .requiredOption('--model <id>', 'model_id')
  .option('--version <v>', 'only this model_version')
  .option('--from <time>', "ISO-8601, epoch ms or a duration back such as '24h'", '7d')
  .option('--to <time>', 'end, exclusive (default now)')
  .option('--html <file>', 'also write a self-contained HTML page')
  .action(async (o: { model: string; version?: string; from?: string; to?: string; html?: string }) => {
    const { reportCommand } = await import('../../report/src/command.ts');
    await reportCommand(o);
  });
program
  .command('config')
  .description('print every setting with its environment variable and default (Markdown)')
  .action(async () => {
    await importServiceSettings();
    console.log(settingsTable());
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`driftline: ${describe(error)}`);
  process.exit(1);
});

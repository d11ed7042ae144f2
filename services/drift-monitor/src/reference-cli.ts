import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { describe } from '../../core/src/errors.ts';
import {
  buildReferenceCommand,
  listReferenceCommand,
  type BuildReferenceOptions,
} from './reference-build.ts';

export { buildReferenceCommand, listReferenceCommand };
export type { BuildReferenceOptions, BuildReferenceResult } from './reference-build.ts';

interface BuildFlags {
  model: string;
  version: string;
  from?: string;
  fromClickhouse?: boolean;
  since?: string;
  until?: string;
  limit?: string;
  bins?: string;
  categorical?: string;
  out?: string;
  dryRun?: boolean;
}

function buildOptions(f: BuildFlags): BuildReferenceOptions {
  const o: BuildReferenceOptions = { modelId: f.model, modelVersion: f.version };
  if (f.from !== undefined) o.from = f.from;
  if (f.fromClickhouse) {
    o.fromClickHouse = { since: f.since ?? '', until: f.until ?? new Date().toISOString() };
    if (f.limit !== undefined) o.fromClickHouse.limit = Number(f.limit);
  }
  if (f.bins !== undefined) o.bins = Number(f.bins);
  if (f.categorical) o.categorical = f.categorical.split(',').map((s) => s.trim());
  if (f.out) o.out = f.out;
  if (f.dryRun) o.dryRun = true;
  return o;
}

/** The `reference` commands; the main `driftline` CLI can mount the same command object. */
export function referenceProgram(): Command {
  const program = new Command('reference').description('reference profiles of the drift monitor');
  program
    .command('build')
    .description('build a reference profile of a model version and store it in ClickHouse')
    .requiredOption('--model <id>', 'model_id')
    .requiredOption('--version <version>', 'model_version')
    .option('--from <file>', 'reference data: a .csv or .jsonl file')
    .option('--from-clickhouse', 'reference data: inference_log between --since and --until')
    .option('--since <time>', 'ISO-8601 or epoch ms (with --from-clickhouse)')
    .option('--until <time>', 'ISO-8601 or epoch ms (with --from-clickhouse; default now)')
    .option('--limit <n>', 'the first n events by event time (with --from-clickhouse)')
    .option('--bins <n>', 'quantile bins per numeric feature (default DRIFTLINE_DRIFT_BINS)')
    .option('--categorical <names>', 'comma-separated columns to read as categories')
    .option('--out <file>', 'also write the profile JSON to this file')
    .option('--dry-run', 'build and report without storing')
    .action(async (f: BuildFlags) =>
      console.log(JSON.stringify(await buildReferenceCommand(buildOptions(f)), null, 2)),
    );
  program
    .command('list')
    .description('list stored profiles')
    .option('--model <id>', 'only this model')
    .action(async (f: { model?: string }) => {
      const rows = await listReferenceCommand(f.model === undefined ? {} : { modelId: f.model });
      console.log(JSON.stringify(rows, null, 2));
    });
  return program;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  referenceProgram()
    .parseAsync()
    .catch((error: unknown) => {
      console.error(`reference: ${describe(error)}`);
      process.exit(1);
    });
}

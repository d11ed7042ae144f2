import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClickHouse } from '../../core/src/clickhouse/client.ts';
import { loadConfig } from '../../core/src/config/load.ts';
import { describe, TimeRangeError } from '../../core/src/errors.ts';
import { parseRange, type TimeRange } from '../../core/src/windows/time-range.ts';
import { ReportError } from './errors.ts';
import { renderHtml } from './html.ts';
import { buildReport, type ReportModel } from './model.ts';
import { readReportRows } from './query.ts';
import { renderTerminal } from './terminal.ts';

/** What `driftline report` takes on the command line. */
export interface ReportOptions {
  /** The model_id to report on. */
  model: string;
  /** Only this model_version. @default every version found */
  version?: string;
  /** Start: ISO-8601, epoch ms, 'now' or a duration back from `to` ('24h', '7d'). @default '7d' */
  from?: string;
  /** End (exclusive), same formats; a duration counts back from now. @default now */
  to?: string;
  /** Also write the self-contained HTML page to this file. */
  html?: string;
}

/** Injected in tests; the defaults are the process's own. */
export interface ReportDeps {
  env?: Record<string, string | undefined>;
  now?: () => number;
  print?: (text: string) => void;
}

/** The report's `--from`/`--to` (core's range grammar). @throws ReportError naming the flag and the formats. */
function reportRange(options: Pick<ReportOptions, 'from' | 'to'>, now: number): TimeRange {
  try {
    return parseRange(options.from, options.to, now, { from: '--from', to: '--to' });
  } catch (error) {
    if (error instanceof TimeRangeError) throw new ReportError(error.message, error);
    throw error;
  }
}

/**
 * `driftline report`: performance, drift and alerts of one model over a time range, read from ClickHouse
 * (DRIFTLINE_CLICKHOUSE_* settings), printed as tables and optionally written as an HTML page with charts.
 * @returns the report model (the CLI ignores it; tests read it)
 * @throws ReportError (not retriable) on bad options or a missing database; ClickHouse errors (retriable)
 */
export async function reportCommand(options: ReportOptions, deps: ReportDeps = {}): Promise<ReportModel> {
  const model = options.model?.trim();
  if (!model) throw new ReportError('--model <model_id> is required');
  const now = (deps.now ?? Date.now)();
  const print = deps.print ?? ((text: string) => process.stdout.write(text));
  const range = reportRange(options, now);
  const config = loadConfig(deps.env ?? process.env);
  const client = createClickHouse(config);
  let report: ReportModel;
  try {
    const query = { database: config.clickhouseDatabase, model, version: options.version, range };
    const rows = await readReportRows(client, query).catch((error: unknown) => {
      if (error instanceof ReportError) throw error;
      throw new ReportError(
        `cannot read from ClickHouse at ${config.clickhouseUrl}: ${describe(error)}`,
        error,
      );
    });
    report = buildReport(rows, { ...query, modelId: model, generatedAtMs: now });
  } finally {
    await client.close();
  }
  print(renderTerminal(report));
  if (options.html) {
    const file = path.resolve(options.html);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, renderHtml(report));
    print(`HTML report written to ${file}\n`);
  }
  return report;
}

import { z } from 'zod';
import { andEquals, andRangeMs, iso, num, quote } from '../sql.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { from, limit, modelId, modelVersion, to, windowOf, windowSize } from '../tool-args.ts';

const input = {
  model_id: modelId,
  model_version: modelVersion.optional(),
  metric: z
    .string()
    .min(1)
    .max(128)
    .default('accuracy')
    .describe(
      'a performance_metrics figure: accuracy, f1_macro, precision:<class>, recall:<class>, mae, rmse, ...',
    ),
  window_size: windowSize,
  segment: z.string().max(256).default('').describe("'' for all traffic, 'tag=value' for a segment"),
  from,
  to,
  limit: limit(100, 1000),
};

type Args = z.output<z.ZodObject<typeof input>>;

/** The newest row of every window (FINAL), newest windows first. */
export function accuracySql(db: string, a: Args, range: { fromMs: number; toMs: number }): string {
  return `SELECT model_version, window_size, window_start_ms, window_end_ms, value, sample_count,
       baseline, delta, is_final
FROM ${db}.performance_metrics FINAL
WHERE model_id = ${quote(a.model_id)} AND metric = ${quote(a.metric)} AND segment = ${quote(a.segment)}
  ${andEquals('model_version', a.model_version)} ${andEquals('window_size', a.window_size)}
  ${andRangeMs('window_start_ms', range)}
ORDER BY window_start_ms DESC, model_version, window_size
LIMIT ${a.limit}`;
}

/** The metrics a model has at all: what to suggest when the asked one has no rows. */
function metricsSql(db: string, a: Args): string {
  return `SELECT DISTINCT metric FROM ${db}.performance_metrics WHERE model_id = ${quote(a.model_id)}
ORDER BY metric LIMIT 200`;
}

async function run(ctx: ToolContext, a: Args): Promise<Record<string, unknown>> {
  const range = windowOf(a, ctx.now());
  const rows = await ctx.select(accuracySql(ctx.database, a, range));
  const windows = rows.map((r) => ({
    model_version: r.model_version,
    window_size: r.window_size,
    window_start: iso(r.window_start_ms),
    window_end: iso(r.window_end_ms),
    value: num(r.value),
    sample_count: num(r.sample_count),
    baseline: num(r.baseline),
    delta: num(r.delta),
    final: num(r.is_final) === 1,
  }));
  const result: Record<string, unknown> = { model_id: a.model_id, metric: a.metric, windows };
  if (windows.length === 0)
    result.available_metrics = (await ctx.select(metricsSql(ctx.database, a))).map((r) => r.metric);
  return result;
}

export const modelAccuracy = defineTool({
  name: 'model_accuracy',
  title: 'Model performance per window',
  description:
    'Accuracy (or any performance figure) of a model, optionally one version, per event-time window, with the ' +
    'sample count, the baseline and whether the window is final. Newest windows first.',
  input,
  run,
});

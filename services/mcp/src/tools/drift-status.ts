import { z } from 'zod';
import { DATASET_FEATURE } from '../../../core/src/records/reserved-names.ts';
import { andEquals, andRangeSeconds, num, quote } from '../sql.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { from, modelId, modelVersion, to, windowOf } from '../tool-args.ts';
import type { Row } from '../reader.ts';

const input = {
  model_id: modelId,
  model_version: modelVersion.optional(),
  from,
  to,
  windows: z.number().int().min(1).max(48).default(1).describe('the newest N windows per the range (≤ 48)'),
  only_drifted: z.boolean().default(false).describe('list only the features that drifted'),
};

type Args = z.output<z.ZodObject<typeof input>>;
type Range = { fromMs: number; toMs: number };

/** The newest windows (version and start) that have drift results in the range. */
export function windowsSql(db: string, a: Args, range: Range): string {
  return `SELECT model_version, toUInt64(window_start) AS start_s, toUInt64(max(window_end)) AS end_s
FROM ${db}.drift_metrics
WHERE model_id = ${quote(a.model_id)} ${andEquals('model_version', a.model_version)}
  ${andRangeSeconds('window_start', range)}
GROUP BY model_version, window_start
ORDER BY start_s DESC, model_version
LIMIT ${a.windows}`;
}

/** The deciding test of every column in those windows (FINAL: the latest recomputation). */
export function resultsSql(db: string, a: Args, windows: Row[]): string {
  const pairs = windows.map((w) => `(${quote(String(w.model_version))}, toDateTime(${Number(w.start_s)}))`);
  return `SELECT model_version, toUInt64(window_start) AS start_s, feature, feature_type, method, statistic,
       p_value, p_value_adjusted, threshold, drifted, sample_count, reference_count
FROM ${db}.drift_metrics FINAL
WHERE model_id = ${quote(a.model_id)} AND decisive = 1 AND (model_version, window_start) IN (${pairs.join(', ')})
  ${a.only_drifted ? `AND (drifted = 1 OR feature = ${quote(DATASET_FEATURE)})` : ''}
ORDER BY start_s DESC, model_version, drifted DESC, statistic DESC
LIMIT 5000`;
}

function column(r: Row) {
  return {
    feature: r.feature,
    type: r.feature_type,
    method: r.method,
    statistic: num(r.statistic),
    p_value: num(r.p_value),
    p_value_adjusted: num(r.p_value_adjusted),
    threshold: num(r.threshold),
    drifted: num(r.drifted) === 1,
    sample_count: num(r.sample_count),
  };
}

async function run(ctx: ToolContext, a: Args): Promise<Record<string, unknown>> {
  const range = windowOf(a, ctx.now());
  const windows = await ctx.select(windowsSql(ctx.database, a, range));
  if (windows.length === 0)
    return { model_id: a.model_id, windows: [], note: 'no drift results in the range' };
  const results = await ctx.select(resultsSql(ctx.database, a, windows));
  const out = windows.map((w) => {
    const mine = results.filter((r) => r.model_version === w.model_version && r.start_s === w.start_s);
    const dataset = mine.find((r) => r.feature === DATASET_FEATURE);
    const columns = mine.filter((r) => r.feature !== DATASET_FEATURE).map(column);
    return {
      model_version: w.model_version,
      window_start: new Date(Number(w.start_s) * 1000).toISOString(),
      window_end: new Date(Number(w.end_s) * 1000).toISOString(),
      dataset_drifted: dataset === undefined ? null : num(dataset.drifted) === 1,
      share_drifted: dataset === undefined ? null : num(dataset.statistic),
      drifted_features: columns.filter((c) => c.drifted).map((c) => c.feature),
      columns,
    };
  });
  return { model_id: a.model_id, windows: out };
}

export const driftStatus = defineTool({
  name: 'drift_status',
  title: 'Drift status',
  description:
    "Drift of a model's newest windows: whether the dataset drifted, the share of drifted features, and per " +
    'feature (and `__prediction__`, `__score__:<class>`) the deciding test with its statistic, p-value and threshold.',
  input,
  run,
});

import { z } from 'zod';
import { andEquals, andRangeSeconds, num, quote } from '../sql.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { from, limit, modelId, to, windowOf, windowSize } from '../tool-args.ts';

const input = {
  model_id: modelId,
  baseline_version: z.string().min(1).max(256).optional(),
  candidate_version: z.string().min(1).max(256).optional(),
  metric: z.string().max(128).optional().describe("'accuracy' (classifiers) or 'mae' (regressors)"),
  window_size: windowSize,
  segment: z.string().max(256).default(''),
  from,
  to,
  limit: limit(20, 500),
};

type Args = z.output<z.ZodObject<typeof input>>;

export function comparisonSql(db: string, a: Args, range: { fromMs: number; toMs: number }): string {
  return `SELECT baseline_version, candidate_version, baseline_arm, candidate_arm, window_size,
       toUInt64(window_start) AS start_s, toUInt64(window_end) AS end_s, metric, test, baseline_value,
       candidate_value, baseline_count, candidate_count, statistic, p_value, df, alpha, verdict, is_final
FROM ${db}.version_comparisons FINAL
WHERE model_id = ${quote(a.model_id)} AND segment = ${quote(a.segment)}
  ${andEquals('baseline_version', a.baseline_version)} ${andEquals('candidate_version', a.candidate_version)}
  ${andEquals('metric', a.metric)} ${andEquals('window_size', a.window_size)}
  ${andRangeSeconds('window_start', range)}
ORDER BY start_s DESC, baseline_version, candidate_version, metric
LIMIT ${a.limit}`;
}

async function run(ctx: ToolContext, a: Args): Promise<Record<string, unknown>> {
  const rows = await ctx.select(comparisonSql(ctx.database, a, windowOf(a, ctx.now())));
  const comparisons = rows.map((r) => ({
    baseline_version: r.baseline_version,
    candidate_version: r.candidate_version,
    baseline_arm: r.baseline_arm,
    candidate_arm: r.candidate_arm,
    window_size: r.window_size,
    window_start: new Date(Number(r.start_s) * 1000).toISOString(),
    window_end: new Date(Number(r.end_s) * 1000).toISOString(),
    metric: r.metric,
    baseline_value: num(r.baseline_value),
    candidate_value: num(r.candidate_value),
    baseline_count: num(r.baseline_count),
    candidate_count: num(r.candidate_count),
    test: r.test,
    statistic: num(r.statistic),
    p_value: num(r.p_value),
    df: num(r.df),
    alpha: num(r.alpha),
    verdict: r.verdict,
    final: num(r.is_final) === 1,
  }));
  return { model_id: a.model_id, comparisons };
}

export const versionComparison = defineTool({
  name: 'version_comparison',
  title: 'Version comparison',
  description:
    'Two versions of a model compared on the same windows: both figures and counts, the test (two-proportion ' +
    "z-test, chi-square or Welch's t-test), its statistic and p-value, and the verdict for the candidate " +
    '(better, worse, no_difference, insufficient_data).',
  input,
  run,
});

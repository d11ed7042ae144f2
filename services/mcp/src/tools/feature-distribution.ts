import { z } from 'zod';
import type { ColumnProfileJSON, ReferenceProfileJSON } from '../../../drift-monitor/src/profile.ts';
import { ToolInputError } from '../errors.ts';
import { QUANTILE_LEVELS, quantilesByLevel, referenceSummary } from '../reference-summary.ts';
import { andRangeMs, num, quote } from '../sql.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { from, modelId, modelVersion, to, windowOf } from '../tool-args.ts';

const input = {
  model_id: modelId,
  model_version: modelVersion,
  feature: z.string().min(1).max(256).describe('an input feature name'),
  from,
  to,
  top: z.number().int().min(1).max(200).default(30).describe('categories listed at most (≤ 200)'),
};

type Args = z.output<z.ZodObject<typeof input>>;
type Range = { fromMs: number; toMs: number };

function scope(db: string, a: Args, range: Range): string {
  return `FROM ${db}.inference_log FINAL
WHERE model_id = ${quote(a.model_id)} AND model_version = ${quote(a.model_version)} ${andRangeMs('event_time_ms', range)}`;
}

/** Count, mean, extremes and quantiles of a numeric feature in the window (rows that carry it). */
export function numericSql(db: string, a: Args, range: Range): string {
  const name = quote(a.feature);
  const value = `num_feature_values[indexOf(num_feature_names, ${name})]`;
  const has = `has(num_feature_names, ${name})`;
  return `SELECT count() AS total, countIf(${has}) AS n, sumIf(${value}, ${has}) AS sum,
       minIf(${value}, ${has}) AS min, maxIf(${value}, ${has}) AS max,
       quantilesExactIf(${QUANTILE_LEVELS.join(', ')})(${value}, ${has}) AS q
${scope(db, a, range)}`;
}

/** Category counts of a categorical feature in the window, most frequent first. */
export function categoricalSql(db: string, a: Args, range: Range): string {
  const name = quote(a.feature);
  return `SELECT cat_feature_values[indexOf(cat_feature_names, ${name})] AS category, count() AS n
${scope(db, a, range)} AND has(cat_feature_names, ${name})
GROUP BY category ORDER BY n DESC, category LIMIT ${a.top + 1}`;
}

function profileSql(db: string, a: Args): string {
  return `SELECT profile FROM ${db}.reference_profiles FINAL
WHERE model_id = ${quote(a.model_id)} AND model_version = ${quote(a.model_version)}
ORDER BY created_at DESC LIMIT 1`;
}

async function referenceColumn(ctx: ToolContext, a: Args): Promise<ColumnProfileJSON | undefined> {
  const [row] = await ctx.select(profileSql(ctx.database, a));
  if (row === undefined) return undefined;
  const profile = JSON.parse(String(row.profile)) as ReferenceProfileJSON;
  return profile.columns.find((c) => c.name === a.feature && c.role === 'feature');
}

async function windowNumeric(ctx: ToolContext, a: Args, range: Range) {
  const [r] = await ctx.select(numericSql(ctx.database, a, range));
  const n = num(r?.n) ?? 0;
  const total = num(r?.total) ?? 0;
  return {
    count: n,
    missing: total - n,
    mean: n > 0 ? (num(r?.sum) as number) / n : null,
    min: n > 0 ? num(r?.min) : null,
    max: n > 0 ? num(r?.max) : null,
    quantiles: quantilesByLevel(n > 0 ? (r?.q as number[]) : null),
    quantile_basis: 'window values (nearest rank)',
  };
}

async function windowCategorical(ctx: ToolContext, a: Args, range: Range) {
  const rows = await ctx.select(categoricalSql(ctx.database, a, range));
  const [totals] =
    await ctx.select(`SELECT count() AS total, countIf(has(cat_feature_names, ${quote(a.feature)})) AS n
${scope(ctx.database, a, range)}`);
  const n = num(totals?.n) ?? 0;
  const listed = rows.slice(0, a.top);
  return {
    count: n,
    missing: (num(totals?.total) ?? 0) - n,
    shares: Object.fromEntries(listed.map((r) => [String(r.category), n > 0 ? Number(r.n) / n : 0])),
    more_categories: rows.length > a.top,
  };
}

async function run(ctx: ToolContext, a: Args): Promise<Record<string, unknown>> {
  const range = windowOf(a, ctx.now());
  const ref = await referenceColumn(ctx, a);
  const kind = ref?.kind ?? (await guessKind(ctx, a, range));
  const window =
    kind === 'numeric' ? await windowNumeric(ctx, a, range) : await windowCategorical(ctx, a, range);
  return {
    model_id: a.model_id,
    model_version: a.model_version,
    feature: a.feature,
    kind,
    window: { from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), ...window },
    reference: ref === undefined ? null : referenceSummary(ref),
  };
}

/** Without a reference profile, the window itself says whether the feature is numeric or categorical. */
async function guessKind(ctx: ToolContext, a: Args, range: Range): Promise<'numeric' | 'categorical'> {
  const name = quote(a.feature);
  const [r] = await ctx.select(`SELECT countIf(has(num_feature_names, ${name})) AS num,
       countIf(has(cat_feature_names, ${name})) AS cat
${scope(ctx.database, a, range)}`);
  if ((num(r?.num) ?? 0) === 0 && (num(r?.cat) ?? 0) === 0)
    throw new ToolInputError(
      `feature ${JSON.stringify(a.feature)} of ${a.model_id} ${a.model_version}: no reference profile column and no value in the window`,
    );
  return (num(r?.num) ?? 0) >= (num(r?.cat) ?? 0) ? 'numeric' : 'categorical';
}

export const featureDistribution = defineTool({
  name: 'feature_distribution',
  title: 'Feature distribution against the reference',
  description:
    'Distribution of one feature of a model version over a window beside its reference profile: quantiles ' +
    '(p5, p25, p50, p75, p95), mean and extremes of a numeric feature, or category shares of a categorical one.',
  input,
  run,
});

import { z } from 'zod';
import { andEquals, andRangeMs, iso, inList, num, numberLiteral, parseJsonColumn, quote } from '../sql.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { from, limit, modelId, modelVersion, to, windowOf } from '../tool-args.ts';

const featureFilter = z
  .object({
    name: z.string().min(1).max(256),
    min: z.number().finite().optional().describe('numeric feature ≥ min'),
    max: z.number().finite().optional().describe('numeric feature < max'),
    equals: z.string().max(256).optional().describe('categorical feature equal to this'),
  })
  .strict()
  .refine((f) => f.min !== undefined || f.max !== undefined || f.equals !== undefined, {
    message: 'give min, max or equals',
  })
  .refine((f) => f.equals === undefined || (f.min === undefined && f.max === undefined), {
    message: 'equals (categorical) excludes min/max (numeric)',
  });

const input = {
  model_id: modelId,
  model_version: modelVersion.optional(),
  from,
  to,
  predicted_label: z.string().max(256).optional().describe('only predictions of this label'),
  wrong_only: z
    .boolean()
    .default(false)
    .describe('only predictions whose joined ground truth differs (labeled_predictions; classifiers)'),
  feature: featureFilter.optional().describe('a range of a numeric feature, or a value of a categorical one'),
  limit: limit(20, 200),
};

type Args = z.output<z.ZodObject<typeof input>>;
type Range = { fromMs: number; toMs: number };

/** A feature condition on the flattened feature arrays (has() first: a missing name must not read as 0). */
export function featureCondition(f: NonNullable<Args['feature']>): string {
  const name = quote(f.name);
  if (f.equals !== undefined)
    return `AND has(cat_feature_names, ${name}) AND cat_feature_values[indexOf(cat_feature_names, ${name})] = ${quote(f.equals)}`;
  const value = `num_feature_values[indexOf(num_feature_names, ${name})]`;
  const lower = f.min === undefined ? '' : `AND ${value} >= ${numberLiteral(f.min)}`;
  const upper = f.max === undefined ? '' : `AND ${value} < ${numberLiteral(f.max)}`;
  return `AND has(num_feature_names, ${name}) ${lower} ${upper}`;
}

/** Wrong predictions: those whose joined label differs from the predicted one (the newest pair wins). */
function wrongCondition(db: string, a: Args, range: Range): string {
  return `AND prediction_id IN (
    SELECT prediction_id FROM ${db}.labeled_predictions FINAL
    WHERE model_id = ${quote(a.model_id)} ${andRangeMs('predicted_at_ms', range)}
      AND predicted_label IS NOT NULL AND predicted_label != label)`;
}

export function sampleSql(db: string, a: Args, range: Range): string {
  return `SELECT prediction_id, model_version, event_time_ms, predicted_label, predicted_value, scores, features,
       latency_ms
FROM ${db}.inference_log FINAL
WHERE model_id = ${quote(a.model_id)} ${andEquals('model_version', a.model_version)}
  ${andRangeMs('event_time_ms', range)} ${andEquals('predicted_label', a.predicted_label)}
  ${a.feature ? featureCondition(a.feature) : ''} ${a.wrong_only ? wrongCondition(db, a, range) : ''}
ORDER BY event_time_ms DESC, prediction_id
LIMIT ${a.limit}`;
}

function labelsSql(db: string, modelIdValue: string, ids: string[]): string {
  return `SELECT prediction_id, label, label_value, labeled_at_ms FROM ${db}.labeled_predictions FINAL
WHERE model_id = ${quote(modelIdValue)} AND ${inList('prediction_id', ids)}`;
}

async function run(ctx: ToolContext, a: Args): Promise<Record<string, unknown>> {
  const range = windowOf(a, ctx.now());
  const rows = await ctx.select(sampleSql(ctx.database, a, range));
  const ids = rows.map((r) => String(r.prediction_id));
  const labels = ids.length === 0 ? [] : await ctx.select(labelsSql(ctx.database, a.model_id, ids));
  const byId = new Map(labels.map((l) => [String(l.prediction_id), l]));
  const events = rows.map((r) => {
    const truth = byId.get(String(r.prediction_id));
    return {
      prediction_id: r.prediction_id,
      model_version: r.model_version,
      timestamp: iso(r.event_time_ms),
      predicted_label: r.predicted_label ?? null,
      predicted_value: num(r.predicted_value),
      scores: parseJsonColumn(r.scores),
      features: parseJsonColumn(r.features),
      latency_ms: num(r.latency_ms),
      label: truth === undefined ? null : (truth.label ?? null),
      label_value: truth === undefined ? null : num(truth.label_value),
    };
  });
  return { model_id: a.model_id, count: events.length, events };
}

export const inferenceSample = defineTool({
  name: 'inference_sample',
  title: 'Sample of inference logs',
  description:
    'The newest inference events of a model matching filters (version, time range, predicted label, wrong ' +
    'predictions only, a feature range), with features, scores and the ground truth where it has arrived.',
  input,
  run,
});

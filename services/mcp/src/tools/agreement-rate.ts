import { z } from 'zod';
import { andRangeSeconds, iso, num, quote } from '../sql.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { from, limit, modelId, modelVersion, to, windowOf } from '../tool-args.ts';

const input = {
  model_id: modelId,
  versions: z
    .array(modelVersion)
    .max(2)
    .optional()
    .describe(
      'one version (its pairs with every other) or two (that pair, in any order); default every pair',
    ),
  from,
  to,
  limit: limit(48, 500),
};

type Args = z.output<z.ZodObject<typeof input>>;

/**
 * The pair filter: the view names each pair once with version_a < version_b (string order), so two versions
 * are sorted the same way, and one version may sit on either side.
 */
export function pairCondition(versions: readonly string[] | undefined): string {
  if (!versions || versions.length === 0) return '';
  if (versions.length === 1) {
    const v = quote(versions[0]!);
    return `AND (version_a = ${v} OR version_b = ${v})`;
  }
  const [a, b] = [...versions].sort();
  return `AND version_a = ${quote(a!)} AND version_b = ${quote(b!)}`;
}

const where = (a: Args, range: { fromMs: number; toMs: number }) =>
  `WHERE model_id = ${quote(a.model_id)} ${pairCondition(a.versions)} ${andRangeSeconds('window_start', range)}`;

/** The hourly windows of the shadow_agreement view, newest first. */
export function agreementWindowsSql(db: string, a: Args, range: { fromMs: number; toMs: number }): string {
  return `SELECT version_a, version_b, toUInt64(toUnixTimestamp(window_start)) AS start_s, requests, agreements,
       agreement_rate
FROM ${db}.shadow_agreement
${where(a, range)}
ORDER BY start_s DESC, version_a, version_b
LIMIT ${a.limit}`;
}

/** Each pair over the whole range: requests and agreements summed over its windows. */
export function agreementTotalsSql(db: string, a: Args, range: { fromMs: number; toMs: number }): string {
  return `SELECT version_a, version_b, sum(requests) AS total_requests, sum(agreements) AS total_agreements
FROM ${db}.shadow_agreement
${where(a, range)}
GROUP BY version_a, version_b
ORDER BY version_a, version_b
LIMIT 100`;
}

async function run(ctx: ToolContext, a: Args): Promise<Record<string, unknown>> {
  const range = windowOf(a, ctx.now());
  const totals = await ctx.select(agreementTotalsSql(ctx.database, a, range));
  const rows = await ctx.select(agreementWindowsSql(ctx.database, a, range));
  const pairs = totals.map((r) => {
    const requests = num(r.total_requests) ?? 0;
    const agreements = num(r.total_agreements) ?? 0;
    const rate = requests > 0 ? agreements / requests : null;
    return { version_a: r.version_a, version_b: r.version_b, requests, agreements, agreement_rate: rate };
  });
  const windows = rows.map((r) => ({
    version_a: r.version_a,
    version_b: r.version_b,
    window_start: iso(Number(r.start_s) * 1000),
    window_end: iso((Number(r.start_s) + 3600) * 1000),
    requests: num(r.requests),
    agreements: num(r.agreements),
    agreement_rate: num(r.agreement_rate),
  }));
  return { model_id: a.model_id, from: iso(range.fromMs), to: iso(range.toMs), pairs, windows };
}

export const agreementRate = defineTool({
  name: 'get_agreement_rate',
  title: 'Shadow agreement rate',
  description:
    'How often two versions of a model gave the same label to the same serving request (request_id), without ' +
    'labels: per version pair over the range (requests both scored, agreements, rate) and per hourly window, ' +
    'newest first. A shadow deployment whose rate falls is answering differently from production.',
  input,
  run,
});

import { z } from 'zod';
import { durationMs as coreDurationMs, durationName } from '../../core/src/windows/duration.ts';

/** How each model version's baseline is formed. */
export type BaselineMode =
  | { mode: 'off' }
  /** The first `windows` complete (final) windows of each size. */
  | { mode: 'first'; windows: number }
  /** The first `count` labeled predictions of the version (per segment), whatever windows they fall in. */
  | { mode: 'labels'; count: number }
  /** Every labeled prediction with predicted_at in [fromMs, toMs). */
  | { mode: 'period'; fromMs: number; toMs: number };

/** One configured comparison: `model` may be `*`. */
export interface ComparisonPair {
  model: string;
  baseline: string;
  candidate: string;
}

export type ComparisonMode = { mode: 'off' } | { mode: 'auto' } | { mode: 'pairs'; pairs: ComparisonPair[] };

/** `5m` → 300000; undefined when the text is not a positive duration (core grammar). */
export function durationMs(text: string): number | undefined {
  const ms = coreDurationMs(text);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

export { durationName };

const DURATION_HINT = 'use e.g. 30s, 5m, 1h, 1d or plain milliseconds';

/** `5m,1h,1d` → [300000, 3600000, 86400000], sorted, without repeats. */
export const parseDurationList = z.string().transform((text, ctx): number[] => {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    ctx.addIssue({ code: 'custom', message: `must name at least one duration (${DURATION_HINT})` });
  const out = new Set<number>();
  for (const item of items) {
    const ms = durationMs(item);
    if (ms === undefined)
      ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(item)} (${DURATION_HINT})` });
    else out.add(ms);
  }
  return [...out].sort((a, b) => a - b);
});

/** Empty → undefined (use the core setting), else one duration in ms (0 allowed). */
export const parseOptionalDuration = z.string().transform((text, ctx): number | undefined => {
  if (text.trim() === '') return undefined;
  if (coreDurationMs(text) === 0) return 0;
  const ms = durationMs(text);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `not a duration (${DURATION_HINT})` });
  return ms;
});

/** `off`, `labels:N`, `first:N` or `period:<ISO from>/<ISO to>`. */
export const parseBaseline = z.string().transform((text, ctx): BaselineMode => {
  const t = text.trim();
  if (t === 'off') return { mode: 'off' };
  const first = /^first:(\d+)$/.exec(t);
  if (first && Number(first[1]) >= 1) return { mode: 'first', windows: Number(first[1]) };
  const labels = /^labels:(\d+)$/.exec(t);
  if (labels && Number(labels[1]) >= 1) return { mode: 'labels', count: Number(labels[1]) };
  const period = /^period:([^/]+)\/(.+)$/.exec(t);
  if (period) {
    const fromMs = Date.parse(period[1] ?? '');
    const toMs = Date.parse(period[2] ?? '');
    if (Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs < toMs)
      return { mode: 'period', fromMs, toMs };
  }
  ctx.addIssue({
    code: 'custom',
    message:
      'must be `off`, `labels:N` (N ≥ 1), `first:N` (N ≥ 1) or `period:<from>/<to>` with ISO-8601 times, from < to',
  });
  return { mode: 'off' };
});

/** `auto`, `off` or `model:baseline:candidate,...`. */
export const parseComparisons = z.string().transform((text, ctx): ComparisonMode => {
  const t = text.trim();
  if (t === 'auto' || t === 'off') return { mode: t };
  const pairs: ComparisonPair[] = [];
  const items = t
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    const parts = item.split(':');
    const candidate = parts.pop();
    const baseline = parts.pop();
    const model = parts.join(':');
    if (!model || !baseline || !candidate || baseline === candidate) {
      ctx.addIssue({
        code: 'custom',
        message: `not a comparison: ${JSON.stringify(item)} (use auto, off or model:baseline_version:candidate_version, model * for any)`,
      });
    } else pairs.push({ model, baseline, candidate });
  }
  if (items.length === 0)
    ctx.addIssue({ code: 'custom', message: 'must be auto, off or a list of model:baseline:candidate' });
  return { mode: 'pairs', pairs };
});

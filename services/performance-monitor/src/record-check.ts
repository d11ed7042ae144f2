import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import type { Kind } from './kind-state.ts';

/** Why a joined prediction did not enter any figure. */
export type SkipReason =
  /** Beyond the allowed lateness: counted, never silently lost. */
  | 'late'
  /**
   * A replacement label without the label it replaces (no readable previous-label header): the earlier pair
   * cannot be taken out, so the correction is skipped and the earlier label stays.
   */
  | 'correction'
  /** Unusable as a labeled prediction: dead-lettered with the detail. */
  | 'invalid';

export interface InvalidRecord {
  reason: 'invalid';
  detail: string;
}

/** The kind of a joined prediction, or why it cannot be used. Pure; runs for every record. */
export function recordKind(r: JoinedPrediction): Kind | InvalidRecord {
  if (!Number.isFinite(r.predicted_at)) return invalid(`predicted_at is not a timestamp: ${r.predicted_at}`);
  if (typeof r.label === 'number') {
    if (!Number.isFinite(r.label)) return invalid(`numeric label is not finite: ${r.label}`);
    const v = r.predicted_value;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return invalid('a numeric label needs a finite predicted_value (regressor)');
    }
    return 'regression';
  }
  if (typeof r.predicted_label !== 'string') {
    return invalid('a class label needs predicted_label (classifier)');
  }
  const scores = r.scores;
  if (scores) {
    for (const label in scores) {
      const p = scores[label];
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
        return invalid(`score for class ${JSON.stringify(label)} must be in [0, 1], got ${String(p)}`);
      }
    }
  }
  return 'classification';
}

function invalid(detail: string): InvalidRecord {
  return { reason: 'invalid', detail };
}

/**
 * The segments a record counts in: `` (all traffic) and `tag=value` for each configured tag it carries.
 * A record without the tag is simply not in that tag's segments.
 */
export function segmentsOf(
  tags: Record<string, string> | null | undefined,
  segmentTags: readonly string[],
): string[] {
  const out = [''];
  if (!tags) return out;
  for (const tag of segmentTags) {
    const value = tags[tag];
    if (value !== undefined) out.push(`${tag}=${value}`);
  }
  return out;
}

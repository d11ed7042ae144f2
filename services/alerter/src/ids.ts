import { createHash } from 'node:crypto';

/**
 * Deterministic ids: the same decision on the same window always gets the same id, so a ClickHouse row
 * written twice (after a crash) replaces itself, and a consumer can deduplicate by id.
 */
function hash(parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** @example alertId('m', '1', 'PERFORMANCE', 'accuracy_drop_pct', 0, 'FIRING').length // 32 */
export function alertId(
  modelId: string,
  version: string,
  kind: string,
  metric: string,
  windowStartMs: number,
  status: string,
): string {
  return hash(['alert', modelId, version, kind, metric, windowStartMs, status]);
}

export function triggerId(modelId: string, version: string, windowEndMs: number): string {
  return hash(['retrain', modelId, version, windowEndMs]);
}

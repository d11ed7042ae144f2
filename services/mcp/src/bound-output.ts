/**
 * A tool result cut to at most `maxChars` characters of JSON. The longest list in the result (at the top level
 * or one level down) loses its tail until the JSON fits, and `truncated` says which list was cut and how many
 * items were kept, so an agent knows to narrow its question rather than trust a partial list as complete.
 * Pure.
 * @example const x = 'x'.repeat(40);
 * boundOutput({ rows: [x, x, x] }, 100) // { rows: [x], truncated: { list: 'rows', kept: 1, of: 3 } }
 */
export function boundOutput(result: Record<string, unknown>, maxChars: number): Record<string, unknown> {
  if (JSON.stringify(result).length <= maxChars) return result;
  const found = longestList(result);
  if (found === undefined) return { error: 'result too large', chars: JSON.stringify(result).length };
  const { path, list } = found;
  const withList = (items: unknown[]) => {
    const copy = setAt(result, path, items);
    return { ...copy, truncated: { list: path.join('.'), kept: items.length, of: list.length } };
  };
  // Binary search on the number of items kept: the largest count whose JSON fits.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (JSON.stringify(withList(list.slice(0, mid))).length <= maxChars) lo = mid;
    else hi = mid - 1;
  }
  return withList(list.slice(0, lo));
}

function longestList(result: Record<string, unknown>): { path: string[]; list: unknown[] } | undefined {
  let best: { path: string[]; list: unknown[]; size: number } | undefined;
  const consider = (path: string[], value: unknown) => {
    if (!Array.isArray(value)) return;
    const size = JSON.stringify(value).length;
    if (best === undefined || size > best.size) best = { path, list: value, size };
  };
  for (const [key, value] of Object.entries(result)) {
    consider([key], value);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      for (const [inner, v] of Object.entries(value)) consider([key, inner], v);
  }
  return best;
}

function setAt(result: Record<string, unknown>, path: string[], items: unknown[]): Record<string, unknown> {
  const [head, inner] = path as [string, string | undefined];
  if (inner === undefined) return { ...result, [head]: items };
  return { ...result, [head]: { ...(result[head] as Record<string, unknown>), [inner]: items } };
}

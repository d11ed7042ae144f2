/** Formatting shared by the terminal table and the HTML page: UTC times, compact numbers. Pure. */

/** '2026-01-01 12:00' (UTC): the report reads the same on every machine. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** A window: '2026-03-01 20:00-21:00' within one day, both full times otherwise. */
export function formatSpan(startMs: number, endMs: number): string {
  const start = formatTime(startMs);
  const end = formatTime(endMs);
  return start.slice(0, 10) === end.slice(0, 10) ? `${start}-${end.slice(11)}` : `${start} to ${end}`;
}

/** A metric or statistic with 3 decimals below 1000, fewer digits above, '-' when absent or not finite. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs !== 0 && abs < 0.001) return value.toExponential(1);
  if (abs >= 1_000_000) return value.toExponential(2);
  if (abs >= 1000) return value.toFixed(0);
  return abs >= 100 ? value.toFixed(1) : value.toFixed(3);
}

/** 12,345 */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';
}

/** A share as a percentage: 0.25 → '25%'. */
export function formatShare(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '-' : `${Math.round(value * 100)}%`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text from the database (feature names, messages) as HTML/SVG text or attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

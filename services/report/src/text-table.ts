export interface TextColumn {
  header: string;
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis. @default 60 */
  maxWidth?: number;
}

function fit(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * A plain-text table: padded columns separated by two spaces, a rule under the header. Pure.
 * @example renderTextTable([{ header: 'a' }, { header: 'n', align: 'right' }], [['x', '10']])
 * // 'a   n\n-  --\nx  10'  (widths from the widest cell)
 */
export function renderTextTable(columns: TextColumn[], rows: string[][]): string {
  const cells = rows.map((row) => columns.map((c, i) => fit(row[i] ?? '', c.maxWidth ?? 60)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (columns[i]!.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
  ].join('\n');
}

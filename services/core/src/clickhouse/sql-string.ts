/**
 * A ClickHouse string literal. Query parameters ({x:String}) arrived after ClickHouse 18.16, so values such as
 * model ids (users' strings) are quoted here and never spliced in raw.
 */
export function sqlString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** The page's only stylesheet, inlined: the report opens from a file with no network. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
  background: #f6f7f9; margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid #dde1e7; padding-bottom: 4px; }
.sub { color: #5b6474; margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { background: #fff; border: 1px solid #dde1e7; border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card .k { color: #5b6474; font-size: 12px; }
.card .v { font-size: 20px; font-weight: 600; }
.card.bad .v { color: #b30000; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; }
svg.chart { background: #fff; border: 1px solid #dde1e7; border-radius: 8px; max-width: 100%; height: auto; }
svg .chart-title { font-size: 13px; font-weight: 600; fill: #1d2330; }
svg .tick, svg .legend { font-size: 11px; fill: #5b6474; }
svg .empty { font-size: 13px; fill: #8a93a3; }
svg .axis { stroke: #8a93a3; stroke-width: 1; }
svg .grid { stroke: #e6e9ee; stroke-width: 1; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e6e9ee; padding: 5px 8px; text-align: left; vertical-align: top;
  white-space: nowrap; }
td.wrap { white-space: normal; }
th { background: #eef1f5; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.sev-CRITICAL { color: #b30000; font-weight: 600; }
.sev-WARNING { color: #c05600; font-weight: 600; }
.notes { color: #5b6474; }
details { margin-top: 12px; }
summary { cursor: pointer; color: #3b4454; font-weight: 600; }
`;

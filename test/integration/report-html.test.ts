import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../services/core/src/clickhouse/migrate.ts';
import { loadMigrations } from '../../services/core/src/clickhouse/migrations.ts';
import { reportCommand } from '../../services/report/src/command.ts';
import { renderHtml } from '../../services/report/src/html.ts';
import { buildReport } from '../../services/report/src/model.ts';
import { FIXTURE_MODEL, FIXTURE_RANGE, fixtureRows } from '../unit/report/fixture-rows.ts';
import { testClickHouse } from './utils/clickhouse.ts';
import {
  alertTableRows,
  driftTableRows,
  noiseRows,
  performanceTableRows,
} from '../unit/report/table-rows.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SCREENSHOT = path.join(ROOT, 'docs', 'report-screenshot.png');
const id = randomBytes(4).toString('hex');
const db = `report_${id}`;
const ch = testClickHouse();
const dir = mkdtempSync(path.join(tmpdir(), 'driftline-report-'));
const env = { ...process.env, DRIFTLINE_CLICKHOUSE_DATABASE: db };
// The report's clock: an hour after the fixture's day, so the page reads the same on every run.
const NOW = FIXTURE_RANGE.toMs + 3_600_000;
const ARGS = { model: FIXTURE_MODEL, from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' };
let chromium = '';

/** Flags that keep headless Chromium off the network and independent of any profile. */
function chromiumFlags(): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    `--user-data-dir=${mkdtempSync(path.join(tmpdir(), 'chromium-profile-'))}`,
  ];
}

/** Runs in the page after layout: what each chart's marks measure in the browser, not in our string. */
const RENDER_CHECK = `<script>
const charts = [...document.querySelectorAll('svg[data-chart]')].map((svg) => {
  const marks = [...svg.querySelectorAll('.mark')];
  const drawn = marks.filter((m) => {
    const b = m.getBBox();
    return [b.x, b.y, b.width, b.height].every(Number.isFinite) && (b.width > 0 || b.height > 0);
  });
  const r = svg.getBoundingClientRect();
  return { kind: svg.dataset.chart, empty: svg.dataset.empty === 'true', marks: marks.length,
    drawn: drawn.length, width: Math.round(r.width), height: Math.round(r.height) };
});
const pre = document.createElement('pre');
pre.id = 'render-check';
pre.textContent = JSON.stringify(charts);
document.body.appendChild(pre);
</script>`;

interface ChartCheck {
  kind: string;
  empty: boolean;
  marks: number;
  drawn: number;
  width: number;
  height: number;
}

async function renderedCharts(htmlFile: string): Promise<ChartCheck[]> {
  const probe = path.join(dir, 'probe.html');
  writeFileSync(probe, readFileSync(htmlFile, 'utf8').replace('</body>', `${RENDER_CHECK}</body>`));
  const { stdout } = await run(chromium, [...chromiumFlags(), '--dump-dom', `file://${probe}`], {
    timeout: 90_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const m = /<pre id="render-check">(.*?)<\/pre>/s.exec(stdout);
  if (!m) throw new Error(`no render check in the dumped DOM:\n${stdout.slice(-2000)}`);
  const text = m[1]!
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return JSON.parse(text) as ChartCheck[];
}

async function insert(table: string, values: object[]): Promise<void> {
  await ch.insert({
    table: `${db}.${table}`,
    values,
    format: 'JSONEachRow',
    clickhouse_settings: { input_format_skip_unknown_fields: 1 },
  });
}

describe('driftline report against ClickHouse, rendered by headless Chromium', () => {
  beforeAll(async () => {
    chromium = execFileSync('bash', [path.join(ROOT, 'infra', 'install-chromium.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    await migrate(ch, db);
    // The alerter's migration may not exist yet: a table with the contract's fields stands in for it.
    await ch.command({
      query: `CREATE TABLE IF NOT EXISTS ${db}.alerts (alert_id String, model_id String,
        model_version String, kind String, severity String, status String, window_start DateTime,
        window_end DateTime, metric String, value Float64, threshold Float64, message String, evidence String,
        created_at Nullable(DateTime)) ENGINE = ReplacingMergeTree() ORDER BY (model_id, alert_id, status)`,
    });
    const rows = fixtureRows();
    const noise = noiseRows();
    await insert('performance_metrics', [...noise.performance, ...performanceTableRows(rows.performance)]);
    await insert('drift_metrics', [...noise.drift, ...driftTableRows(rows.drift)]);
    const columns = await (
      await ch.query({
        query: `SELECT name, type FROM system.columns WHERE database = '${db}' AND table = 'alerts'`,
        format: 'JSONEachRow',
      })
    ).json<{ name: string; type: string }>();
    await insert('alerts', alertTableRows([...rows.alerts, rows.alerts[2]!], columns));
  });

  afterAll(async () => {
    for (const name of [db, `${db}_partial`]) await ch.command({ query: `DROP DATABASE IF EXISTS ${name}` });
    await ch.close();
  });

  it('shouldReadExactlyTheFixtureWhenOtherModelsOldRevisionsAndRollingWindowsAreStoredToo', async () => {
    const printed: string[] = [];
    const html = path.join(dir, 'report.html');
    const report = await reportCommand(
      { ...ARGS, html },
      { env, now: () => NOW, print: (t) => printed.push(t) },
    );
    const expected = buildReport(fixtureRows(), {
      modelId: FIXTURE_MODEL,
      database: db,
      range: FIXTURE_RANGE,
      generatedAtMs: NOW,
    });
    expect(report).toEqual(expected);
    expect(printed[0]).toMatch(/^Driftline report: model churn, version v1, v2\n/);
    expect(printed[0]).toContain('Alerts (6 events, 3 firing now)');
    expect(printed[1]).toBe(`HTML report written to ${html}\n`);
  });

  it('shouldShowOnlyThatVersionWhenOneIsAskedFor', async () => {
    const report = await reportCommand({ ...ARGS, version: 'v2' }, { env, now: () => NOW, print: () => {} });
    expect(report.version).toBe('v2');
    expect(report.versions).toEqual(['v2']);
    expect(new Set(report.performance.windows.map((w) => w.version))).toEqual(new Set(['v2']));
    expect(report.drift.heatmaps.map((h) => h.version)).toEqual(['v2']);
    expect(report.alerts.events).toEqual([]);
  });

  it('shouldDrawEveryChartInChromiumAndSaveTheScreenshotWhenTheReportHasData', async () => {
    const html = path.join(dir, 'report.html');
    const report = await reportCommand({ ...ARGS, html }, { env, now: () => NOW, print: () => {} });
    const charts = await renderedCharts(html);
    expect(charts.map((c) => c.kind)).toEqual(['line', 'line', 'heatmap', 'heatmap', 'line', 'timeline']);
    for (const c of charts) {
      expect(c.empty).toBe(false);
      expect(c.drawn).toBe(c.marks);
      expect(c.width).toBeGreaterThan(300);
      expect(c.height).toBeGreaterThan(80);
    }
    // Line charts: one path per version plus one dot per window (24 of v1, 12 of v2).
    expect(charts[0]!.marks).toBe(2 + 36);
    expect(charts[2]!.marks).toBe(6 * 24);
    expect(charts[3]!.marks).toBe(6 * 12);
    // Six alert events and one concept-drift detection, each a bar and a dot.
    expect(charts[5]!.marks).toBe(2 * 7);

    // The README's picture: the page as a user with the default database sees it, byte-stable between runs.
    const page = path.join(dir, 'screenshot.html');
    writeFileSync(page, renderHtml({ ...report, database: 'ml_monitor' }));
    await run(
      chromium,
      [...chromiumFlags(), `--screenshot=${SCREENSHOT}`, '--window-size=1280,1800', `file://${page}`],
      {
        timeout: 90_000,
      },
    );
    const png = readFileSync(SCREENSHOT);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 1800]);
    expect(statSync(SCREENSHOT).size).toBeLessThan(500 * 1024);
  });

  it('shouldReportWhatExistsAndNameTheMissingTablesWhenOnlySomeAreMigrated', async () => {
    const partial = `${db}_partial`;
    await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${partial}` });
    const perf = loadMigrations(partial).find((m) => m.name === 'performance_metrics')!;
    for (const statement of perf.statements) await ch.command({ query: statement });
    const html = path.join(dir, 'partial.html');
    const report = await reportCommand(
      { ...ARGS, html },
      { env: { ...env, DRIFTLINE_CLICKHOUSE_DATABASE: partial }, now: () => NOW, print: () => {} },
    );
    expect(report.notes).toEqual([
      `table ${partial}.drift_metrics does not exist yet (it is written by the drift-monitor): nothing shown`,
      `table ${partial}.alerts does not exist yet (it is written by the alerter): nothing shown`,
    ]);
    const charts = await renderedCharts(html);
    expect(charts.map((c) => [c.kind, c.empty])).toEqual([
      ['heatmap', true],
      ['timeline', true],
    ]);
  });

  it('shouldNameTheDatabaseOrTheServerWhenTheyCannotBeRead', async () => {
    const missing = { env: { ...env, DRIFTLINE_CLICKHOUSE_DATABASE: `${db}_nope` }, print: () => {} };
    await expect(reportCommand(ARGS, missing)).rejects.toThrow(
      `report: database ${db}_nope does not exist: run \`driftline migrate\``,
    );
    const closed = { env: { ...env, DRIFTLINE_CLICKHOUSE_URL: 'http://127.0.0.1:9' }, print: () => {} };
    await expect(reportCommand(ARGS, closed)).rejects.toThrow(
      /^report: cannot read from ClickHouse at http:\/\/127\.0\.0\.1:9: .*ECONNREFUSED/,
    );
  });
});

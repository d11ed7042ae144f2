import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../services/core/src/clickhouse/migrate.ts';
import { collectEstimateLines } from '../../services/cli/src/commands/demo-estimates.ts';
import { reportCommand } from '../../services/report/src/command.ts';
import type { EstimateRow } from '../../services/report/src/rows.ts';
import { estimationRows, HOUR, T0 } from '../unit/report/estimation-rows.ts';
import { driftTableRows } from '../unit/report/table-rows.ts';
import { testClickHouse } from './utils/clickhouse.ts';

const db = `report_est_${randomBytes(4).toString('hex')}`;
const ch = testClickHouse();
const MODEL = 'churn';

/** performance_estimates rows as the estimator writes them: revision 0, and revision 1 once realized. */
function estimateTableRows(rows: EstimateRow[]) {
  return rows.flatMap((r) => {
    const base = {
      model_id: MODEL,
      model_version: r.version,
      window_size: r.windowSize,
      window_start: Math.floor(r.startMs / 1000),
      window_end: Math.floor(r.endMs / 1000),
      window_start_ms: r.startMs,
      window_end_ms: r.endMs,
      metric: r.metric,
      estimate: r.estimate,
      std_error: (r.bandHigh - r.estimate) / 1.96,
      band_low: r.bandLow,
      band_high: r.bandHigh,
      figure_count: r.samples,
      sample_count: r.samples,
      calibration_count: 2000,
      baseline: r.baseline,
      baseline_count: r.baseline === null ? 0 : 2000,
      baseline_source: r.baseline === null ? '' : 'estimator',
      realized: null,
      realized_count: 0,
      estimation_error: null,
      outside_band: 0,
      concept_drift: 0,
      revision: 0,
      written_at_ms: r.endMs,
    };
    if (r.realized === null) return [base];
    const realized = {
      ...base,
      realized: r.realized,
      realized_count: r.samples,
      estimation_error: r.error,
      outside_band: r.outsideBand ? 1 : 0,
      concept_drift: r.conceptDrift ? 1 : 0,
      revision: 1,
      written_at_ms: r.endMs + HOUR,
    };
    return [base, realized];
  });
}

describe('the report and the demo read estimates from ClickHouse', () => {
  beforeAll(async () => {
    await migrate(ch, db);
    const rows = estimationRows();
    await ch.insert({
      table: `${db}.performance_estimates`,
      values: estimateTableRows(rows.estimates!),
      format: 'JSONEachRow',
    });
    await ch.insert({
      table: `${db}.drift_metrics`,
      values: driftTableRows(rows.drift, MODEL),
      format: 'JSONEachRow',
    });
  });

  afterAll(async () => {
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldPrintEachWindowsEstimateBesideItsRealizedFigureAndTheRankedFeatures', async () => {
    let text = '';
    const report = await reportCommand(
      { model: MODEL, from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' },
      {
        env: { ...process.env, DRIFTLINE_CLICKHOUSE_DATABASE: db },
        now: () => T0 + 30 * HOUR,
        print: (t) => (text += t),
      },
    );
    expect(report.estimation.windows.map((w) => [w.realizedAccuracy, w.status])).toEqual([
      [0.91, 'within band'],
      [0.89, 'within band'],
      [0.7, 'OUTSIDE band'],
      [null, 'awaiting labels'],
      [null, 'awaiting labels'],
      [null, 'awaiting labels'],
    ]);
    expect(text).toContain('Estimated performance before labels (CBPE) beside realized, per 1h window');
    expect(text).toMatch(/2026-03-01 05:00 {2}v1 +0\.700 .*\(labels pending\)/);
    expect(text).toMatch(/ {2}1\. x0: r 0\.993 \(p <0\.001, 6 windows, drifted\)/);
  });

  it('shouldGiveTheDemoOneEstimatedLinePerWindowAndARealizedLinePerFinalWindow', async () => {
    const printed = { estimated: new Set<string>(), realized: new Set<string>() };
    const lines = await collectEstimateLines(ch, db, ['churn', 'price'], '1h', T0, printed);
    expect(lines.filter((l) => l.includes('ESTIMATED'))).toHaveLength(6);
    expect(lines.filter((l) => l.includes('REALIZED'))).toHaveLength(3);
    expect(lines[0]).toBe(
      '  .. ESTIMATED churn/v1 window 00:00: accuracy 0.900 (95% band 0.880-0.920) from 1000 predictions, before any label',
    );
    expect(await collectEstimateLines(ch, db, ['churn'], '1h', T0, printed)).toEqual([]);
  });
});

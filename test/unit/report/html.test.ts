import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../services/report/src/html.ts';
import { buildReport } from '../../../services/report/src/model.ts';
import { FIXTURE_MODEL, FIXTURE_RANGE, fixtureRows } from './fixture-rows.ts';

const ctx = { modelId: FIXTURE_MODEL, database: 'ml_monitor', range: FIXTURE_RANGE, generatedAtMs: 0 };

describe('renderHtml', () => {
  const html = renderHtml(buildReport(fixtureRows(), ctx));

  it('shouldBeSelfContainedWhenOpenedWithoutNetwork', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    // The only URL is the SVG namespace, which browsers never fetch.
    const urls = [...html.matchAll(/https?:\/\/[^"'\s<]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it('shouldContainEveryChartKindAndTheAlertsTable', () => {
    const kinds = [...html.matchAll(/data-chart="(\w+)"/g)].map((m) => m[1]);
    expect(kinds).toEqual(['line', 'line', 'heatmap', 'heatmap', 'line', 'timeline']);
    expect(html).not.toContain('data-empty');
    expect(html).toContain('<span class="sev-CRITICAL">CRITICAL</span>');
    expect(html).toContain('Windows with drifted features (20)');
  });

  it('shouldEscapeTextFromTheDatabaseWhenItLooksLikeMarkup', () => {
    expect(html).toContain('predicted label distribution changed &lt;yes&gt; share up');
    const rows = fixtureRows();
    rows.drift[0]!.feature = '<img src=x onerror=alert(1)>';
    const hostile = renderHtml(buildReport(rows, { ...ctx, modelId: '"><b>m' }));
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('<b>m');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shouldRenderPlaceholdersAndNotesWhenThereIsNoData', () => {
    const empty = renderHtml(
      buildReport({ performance: [], drift: [], alerts: [], missingTables: ['alerts'], truncated: [] }, ctx),
    );
    expect(empty).toContain('No performance rows in this range.');
    expect([...empty.matchAll(/data-empty="true"/g)]).toHaveLength(2);
    expect(empty).toContain('table ml_monitor.alerts does not exist yet');
  });
});

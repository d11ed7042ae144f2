import { describe, expect, it } from 'vitest';
import { declaredMetrics, isKnownSeries, migrationTables, processMetricPrefix, read } from './sources.ts';

interface Target {
  refId?: string;
  datasource?: { type?: string; uid?: string };
  rawSql?: string;
  expr?: string;
  format?: number;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
}

const dashboard = JSON.parse(read('infra/grafana/dashboards/driftline.json')) as {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: string; datasource?: { uid?: string } }[] };
};
const provisioned = read('infra/grafana/provisioning/datasources/driftline.yml');
/** uid → type of the provisioned data sources. */
const datasources = new Map(
  [...provisioned.matchAll(/uid: (\S+)\n\s+type: (\S+)/g)].map((m) => [m[1]!, m[2]!] as const),
);
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
const targets = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t })));
const query = (t: Target) => t.rawSql ?? t.expr ?? '';

describe('infra/grafana/dashboards/driftline.json', () => {
  it('shouldProvisionAPrometheusAndAClickHouseDataSource', () => {
    expect([...datasources.values()].sort()).toEqual(['grafana-clickhouse-datasource', 'prometheus']);
    expect(read('infra/grafana/provisioning/dashboards/driftline.yml')).toContain(
      'path: /etc/grafana/dashboards',
    );
    expect(read('docker-compose.yml')).toContain('./infra/grafana/dashboards:/etc/grafana/dashboards:ro');
  });

  it('shouldGiveEveryPanelAProvisionedDataSourceAndAtLeastOneQuery', () => {
    expect(panels.length).toBeGreaterThanOrEqual(8);
    for (const p of panels) {
      expect(datasources.get(p.datasource?.uid ?? ''), `${p.title}: data source`).toBe(p.datasource?.type);
      expect(p.targets?.length ?? 0, `${p.title}: queries`).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size, `${p.title}: refIds`).toBe(refIds.length);
      for (const t of p.targets!) {
        expect(t.datasource, `${p.title}: target data source`).toEqual(p.datasource);
        const field = p.datasource!.type === 'prometheus' ? t.expr : t.rawSql;
        expect(field?.trim().length ?? 0, `${p.title}: query text`).toBeGreaterThan(10);
      }
    }
  });

  it('shouldShowPerformanceDriftLatencyLagAndDeadLetters', () => {
    const byTitle = (re: RegExp) => panels.filter((p) => re.test(p.title));
    expect(byTitle(/^Performance per/)[0]?.targets?.[0]?.rawSql).toContain('performance_metrics FINAL');
    expect(byTitle(/^Drift per feature/)[0]).toMatchObject({ type: 'heatmap' });
    expect(byTitle(/^Drift per feature/)[0]?.targets?.[0]?.rawSql).toContain('drift_metrics FINAL');
    expect(byTitle(/^Prediction latency/)[0]?.targets?.[0]?.rawSql).toContain('latency_ms');
    expect(byTitle(/^Consumer lag/)[0]?.targets?.[0]?.expr).toContain('driftline_consumer_lag');
    expect(byTitle(/^Dead letters/)[0]?.targets?.[0]?.expr).toContain('driftline_dead_letters_total');
  });

  it('shouldQueryOnlyTablesTheMigrationsCreate', () => {
    const tables = migrationTables();
    const sql = [
      ...targets.map((t) => query(t.target)),
      ...dashboard.templating.list.map((v) => v.query ?? ''),
    ];
    const used = sql.flatMap((q) => [...q.matchAll(/\$\{database\}\.(\w+)/g)].map((m) => m[1]!));
    expect(used.length).toBeGreaterThan(5);
    for (const table of used) expect(tables, table).toContain(table);
  });

  it('shouldQueryOnlyMetricsTheServicesWrite', () => {
    const declared = declaredMetrics();
    const prefix = processMetricPrefix();
    const names = targets.flatMap((t) =>
      [...(t.target.expr ?? '').matchAll(/\bdriftline_\w+/g)].map((m) => m[0]),
    );
    expect(names.length).toBeGreaterThan(4);
    for (const n of names) expect(isKnownSeries(n, declared, prefix), n).toBe(true);
  });

  it('shouldDefineEveryTemplateVariableItUses', () => {
    const defined = new Set(dashboard.templating.list.map((v) => v.name));
    const texts = [
      ...targets.map((t) => query(t.target)),
      ...panels.map((p) => p.title),
      ...dashboard.templating.list.map((v) => v.query ?? ''),
    ];
    const used = texts.flatMap((q) => [...q.matchAll(/\$\{(\w+)(?::\w+)?\}/g)].map((m) => m[1]!));
    for (const name of used) expect(defined, name).toContain(name);
    for (const v of dashboard.templating.list.filter((x) => x.type === 'query'))
      expect(datasources.has(v.datasource?.uid ?? ''), v.name).toBe(true);
  });

  it('shouldLayPanelsOutInsideTheGridWithUniqueIds', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
  });
});

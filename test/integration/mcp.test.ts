import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../services/core/src/clickhouse/migrate.ts';
import { testClickHouse } from './utils/clickhouse.ts';
import {
  alertRows,
  comparisonRows,
  driftRows,
  HOUR,
  inferenceRows,
  labeledRows,
  MODEL,
  performanceRows,
  profileRow,
  requestPredictionRows,
  T0,
} from '../unit/mcp/fixture-rows.ts';
import { randomServicePort } from './utils/ports.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const DRIFTLINE = path.join(ROOT, 'bin', 'driftline');
const db = `mcp_${randomBytes(4).toString('hex')}`;
const ch = testClickHouse();
const env = { ...process.env, DRIFTLINE_CLICKHOUSE_DATABASE: db } as Record<string, string>;
const WINDOW = { from: new Date(T0).toISOString(), to: new Date(T0 + HOUR).toISOString() };

/** One call of every tool, with what each must answer (the fixture's known values). */
const CALLS = [
  { name: 'model_accuracy', arguments: { model_id: MODEL, model_version: 'v1', ...WINDOW } },
  { name: 'drift_status', arguments: { model_id: MODEL, ...WINDOW } },
  {
    name: 'inference_sample',
    arguments: {
      model_id: MODEL,
      model_version: 'v1',
      ...WINDOW,
      feature: { name: 'age', min: 10, max: 20 },
      limit: 200,
    },
  },
  { name: 'version_comparison', arguments: { model_id: MODEL, ...WINDOW } },
  {
    name: 'feature_distribution',
    arguments: { model_id: MODEL, model_version: 'v1', feature: 'age', ...WINDOW },
  },
  { name: 'open_alerts', arguments: { model_id: MODEL } },
  { name: 'alert_details', arguments: { alert_id: 'a-drift-fire' } },
  { name: 'get_agreement_rate', arguments: { model_id: MODEL, versions: ['v2', 'v1'], ...WINDOW } },
];

interface Answer {
  isError: boolean;
  text: string;
}

let client: Client;

async function call(name: string, args: Record<string, unknown>): Promise<Answer> {
  const r = (await client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: { text?: string }[];
  };
  return { isError: r.isError === true, text: r.content.map((c) => c.text ?? '').join('') };
}

/** A tool's JSON answer; the assertions read it field by field. */
type Item = Record<string, unknown>;
const list = (item: unknown, key: string) => (item as Item)[key] as Item[];
const obj = (item: unknown, key: string) => (item as Item)[key] as Item;
const nums = (item: unknown, key: string) => (item as Item)[key] as Record<string, number>;

async function json(name: string, args: Record<string, unknown>): Promise<Item & Record<string, Item>> {
  const a = await call(name, args);
  expect(a.isError, a.text).toBe(false);
  return JSON.parse(a.text) as Item & Record<string, Item>;
}

async function insert(table: string, values: object[]): Promise<void> {
  await ch.insert({ table: `${db}.${table}`, values, format: 'JSONEachRow' });
}

beforeAll(async () => {
  await migrate(ch, db);
  await insert('inference_log', inferenceRows());
  await insert('labeled_predictions', labeledRows());
  await insert('performance_metrics', performanceRows());
  await insert('drift_metrics', driftRows());
  await insert('version_comparisons', comparisonRows());
  await insert('reference_profiles', [profileRow()]);
  await insert('alerts', alertRows());
  await insert('request_predictions', requestPredictionRows());
  client = new Client({ name: 'driftline-test', version: '1' });
  await client.connect(
    new StdioClientTransport({ command: DRIFTLINE, args: ['mcp'], env, stderr: 'inherit' }),
  );
}, 120_000);

afterAll(async () => {
  await client?.close();
  await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

describe('driftline mcp over stdio (TypeScript SDK client)', () => {
  it('shouldListEveryDiagnosisToolWithItsArgumentSchema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(CALLS.map((c) => c.name).sort());
    for (const t of tools) expect(t.annotations?.readOnlyHint).toBe(true);
    const sample = tools.find((t) => t.name === 'inference_sample')!;
    expect(Object.keys(sample.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['model_id', 'wrong_only', 'feature', 'predicted_label', 'limit']),
    );
  });

  it('shouldReportEachWindowsNewestFigureNewestFirstWhenAskedForAccuracy', async () => {
    const r = await json('model_accuracy', CALLS[0]!.arguments);
    expect(list(r, 'windows').map((w) => [w.window_start, w.value, w.final])).toEqual([
      [new Date(T0 + HOUR / 2).toISOString(), 0.75, true],
      [new Date(T0).toISOString(), 0.85, true],
    ]);
    // The window size in any spelling of core's duration grammar: 1800s is the 30m windows.
    const spelled = await json('model_accuracy', { ...CALLS[0]!.arguments, window_size: '1800s' });
    expect(list(spelled, 'windows').map((w) => [w.window_size, w.value])).toEqual([
      ['30m', 0.75],
      ['30m', 0.85],
    ]);
    const compared = await json('version_comparison', { ...CALLS[3]!.arguments, window_size: '60m' });
    expect(list(compared, 'comparisons').map((c) => c.window_size)).toEqual(['1h']);
    const none = await json('model_accuracy', { model_id: MODEL, metric: 'auc', ...WINDOW });
    expect(none.windows).toEqual([]);
    expect(none.available_metrics).toEqual(['accuracy', 'f1_macro']);
  });

  it('shouldNameTheDriftedFeaturesAndTheDecidingTestsWhenAskedForDriftStatus', async () => {
    const r = await json('drift_status', CALLS[1]!.arguments);
    expect(r.windows).toHaveLength(1);
    const w = list(r, 'windows')[0]!;
    expect([w.dataset_drifted, w.share_drifted, w.drifted_features]).toEqual([true, 0.5, ['age']]);
    expect(list(w, 'columns').map((c) => [c.feature, c.method, c.drifted])).toEqual([
      ['age', 'ks', true],
      ['plan', 'chi2', false],
    ]);
  });

  it('shouldReturnExactlyTheMatchingEventsWhenSamplingWithFilters', async () => {
    const range = await json('inference_sample', CALLS[2]!.arguments);
    const ids = (r: Item) =>
      list(r, 'events')
        .map((e) => String(e.prediction_id))
        .sort();
    expect(ids(range)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((i) => `v1-p${i}`).sort());
    const wrong = await json('inference_sample', {
      model_id: MODEL,
      ...WINDOW,
      wrong_only: true,
      predicted_label: 'no',
      limit: 200,
    });
    expect(ids(wrong)).toEqual(['v1-p10', 'v1-p20', 'v1-p30', 'v1-p40']);
    expect(
      list(wrong, 'events').every((e) => e.label === 'yes' && (e.features as { age: number }).age % 10 === 0),
    ).toBe(true);
    const all = await json('inference_sample', {
      model_id: MODEL,
      model_version: 'v1',
      ...WINDOW,
      limit: 200,
    });
    expect(all.count).toBe(42); // the re-sent copy of v1-p7 counted once
    const pro = await json('inference_sample', {
      model_id: MODEL,
      ...WINDOW,
      feature: { name: 'plan', equals: 'pro' },
      limit: 200,
    });
    expect(pro.count).toBe(10 + 5);
    const few = await json('inference_sample', { model_id: MODEL, ...WINDOW, limit: 3 });
    expect(list(few, 'events').map((e) => String(e.timestamp))).toEqual(
      [...list(few, 'events').map((e) => String(e.timestamp))].sort().reverse(),
    );
    expect(few.count).toBe(3);
  });

  it('shouldGiveTheTestAndVerdictWhenComparingVersions', async () => {
    const r = await json('version_comparison', CALLS[3]!.arguments);
    expect(
      list(r, 'comparisons').map((c) => [
        c.baseline_version,
        c.candidate_version,
        c.test,
        c.p_value,
        c.verdict,
      ]),
    ).toEqual([['v1', 'v2', 'two_proportion_z', 0.0037, 'worse']]);
  });

  it('shouldSummariseAFeatureBesideItsReferenceWhenAskedForItsDistribution', async () => {
    const r = await json('feature_distribution', CALLS[4]!.arguments);
    // Window: age = 1..40 (2 events lack it). ClickHouse's quantileExact takes the value at rank floor(q·n)
    // (0-based) of the sorted values: floor(0.05·40) = 2 → 3, 10 → 11, 20 → 21, 30 → 31, 38 → 39.
    expect(r.kind).toBe('numeric');
    expect(r.window).toMatchObject({ count: 40, missing: 2, mean: 20.5, min: 1, max: 40 });
    expect(obj(r, 'window').quantiles).toEqual({ p5: 3, p25: 11, p50: 21, p75: 31, p95: 39 });
    // Reference: age = 1..100; numpy.quantile(numpy.arange(1, 101), [.05, .25, .5, .75, .95]) (linear).
    expect(obj(r, 'reference').quantile_basis).toBe('reference values');
    const q = nums(r.reference, 'quantiles');
    const expected = { p5: 5.95, p25: 25.75, p50: 50.5, p75: 75.25, p95: 95.05 };
    for (const [k, v] of Object.entries(expected)) expect(q[k]).toBeCloseTo(v, 9);
    expect(r.reference).toMatchObject({ count: 100, missing: 0, min: 1, max: 100 });
    expect(obj(r, 'reference').mean).toBeCloseTo(50.5, 9);
    const plan = await json('feature_distribution', { ...CALLS[4]!.arguments, feature: 'plan' });
    expect(plan.kind).toBe('categorical');
    expect(obj(plan, 'window').count).toBe(42);
    expect(nums(plan.window, 'shares').basic).toBeCloseTo(32 / 42, 12);
    expect(nums(plan.window, 'shares').pro).toBeCloseTo(10 / 42, 12);
    expect(obj(plan, 'reference').shares).toEqual({ basic: 0.6, pro: 0.4 });
  });

  it('shouldListOnlySeriesWhoseNewestEventFiresAndShowAnAlertsEvidence', async () => {
    const open = await json('open_alerts', CALLS[5]!.arguments);
    expect(list(open, 'alerts').map((a) => a.alert_id)).toEqual(['a-lat-refire', 'a-drift-fire']);
    const detail = await json('alert_details', CALLS[6]!.arguments);
    expect(detail.diagnosis).toBe('data_drift');
    expect(detail.evidence).toEqual([{ subject: 'age', type: 'ks', score: 0.6 }]);
    const missing = await call('alert_details', { alert_id: 'no-such-alert' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('no alert with alert_id "no-such-alert"');
  });

  it('shouldGiveTheExactAgreementRateOfEachVersionPairPerRangeAndPerHour', async () => {
    const pair = await json('get_agreement_rate', CALLS[7]!.arguments);
    const triple = (r: Item) => [r.version_a, r.version_b, r.requests, r.agreements, r.agreement_rate];
    expect(list(pair, 'pairs').map(triple)).toEqual([['v1', 'v2', 20, 16, 0.8]]);
    expect(list(pair, 'windows').map((w) => [w.window_start, ...triple(w)])).toEqual([
      [new Date(T0).toISOString(), 'v1', 'v2', 20, 16, 0.8],
    ]);
    const hour = await json('get_agreement_rate', { model_id: MODEL, ...WINDOW });
    expect(list(hour, 'pairs').map(triple)).toEqual([
      ['v1', 'v2', 20, 16, 0.8],
      ['v1', 'v3', 10, 10, 1],
      ['v2', 'v3', 10, 8, 0.8],
    ]);
    const v1 = await json('get_agreement_rate', {
      model_id: MODEL,
      versions: ['v1'],
      from: WINDOW.from,
      to: new Date(T0 + 2 * HOUR).toISOString(),
    });
    expect(list(v1, 'pairs').map(triple)).toEqual([
      ['v1', 'v2', 30, 26, 26 / 30],
      ['v1', 'v3', 10, 10, 1],
    ]);
    expect(list(v1, 'windows').map((w) => [w.window_start, ...triple(w)])).toEqual([
      [new Date(T0 + HOUR).toISOString(), 'v1', 'v2', 10, 10, 1],
      [new Date(T0).toISOString(), 'v1', 'v2', 20, 16, 0.8],
      [new Date(T0).toISOString(), 'v1', 'v3', 10, 10, 1],
    ]);
    const three = await call('get_agreement_rate', { model_id: MODEL, versions: ['v1', 'v2', 'v3'] });
    expect(three.isError).toBe(true);
    expect(three.text).toMatch(/versions/);
  });

  it('shouldRejectMalformedArgumentsWithAnErrorNamingTheField', async () => {
    const wrongType = await call('model_accuracy', { model_id: 5 });
    expect(wrongType).toMatchObject({ isError: true });
    expect(wrongType.text).toMatch(/model_id/);
    const tooMany = await call('inference_sample', { model_id: MODEL, limit: 5000 });
    expect(tooMany.isError).toBe(true);
    expect(tooMany.text).toMatch(/limit/);
    const noBound = await call('inference_sample', { model_id: MODEL, feature: { name: 'age' } });
    expect(noBound.isError).toBe(true);
    expect(noBound.text).toContain('give min, max or equals');
    const badTime = await call('model_accuracy', { model_id: MODEL, from: 'yesterday-ish' });
    expect(badTime.isError).toBe(true);
    expect(badTime.text).toMatch(/expected an ISO-8601 time/);
  });

  it('shouldTreatQuotesInArgumentsAsDataNotSql', async () => {
    const r = await json('model_accuracy', { model_id: `${MODEL}' OR 1=1 --`, ...WINDOW });
    expect(r.windows).toEqual([]);
    const s = await json('inference_sample', {
      model_id: MODEL,
      ...WINDOW,
      predicted_label: "no' OR '1'='1",
    });
    expect(s.count).toBe(0);
  });
});

describe('driftline mcp over stdio (Python mcp package)', () => {
  it('shouldListTheToolsAndAnswerEveryCallAsTheTypeScriptClientDoes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftline-mcp-'));
    const calls = path.join(dir, 'calls.json');
    const malformed = { name: 'drift_status', arguments: { model_id: MODEL, windows: 0 } };
    writeFileSync(calls, JSON.stringify([...CALLS, malformed]));
    const { stdout: py } = await run('bash', [path.join(ROOT, 'infra', 'python-env.sh')], { env });
    const python = py.trim().split('\n').at(-1)!;
    const script = path.join(ROOT, 'test', 'integration', 'python', 'mcp_client.py');
    const { stdout } = await run(python, [script, calls], { env, timeout: 120_000 });
    const out = JSON.parse(stdout) as {
      tools: string[];
      results: { name: string; is_error: boolean; text: string }[];
    };
    expect(out.tools.sort()).toEqual(CALLS.map((c) => c.name).sort());
    for (const [i, c] of CALLS.entries()) {
      const ts = await call(c.name, c.arguments);
      expect(out.results[i]!.is_error, out.results[i]!.text).toBe(false);
      expect(JSON.parse(out.results[i]!.text)).toEqual(JSON.parse(ts.text));
    }
    expect(out.results.at(-1)!.is_error).toBe(true);
    expect(out.results.at(-1)!.text).toMatch(/windows/);
  }, 180_000);
});

describe('driftline mcp --http (Streamable HTTP)', () => {
  it('shouldRefuseRequestsWithoutTheTokenAndServeThoseWithIt', async () => {
    const port = randomServicePort();
    const token = randomBytes(16).toString('hex');
    const child: ChildProcess = spawn(DRIFTLINE, ['mcp', '--http'], {
      env: { ...env, DRIFTLINE_MCP_PORT: String(port), DRIFTLINE_MCP_TOKEN: token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (d: Buffer) => d.toString().includes('Streamable HTTP on') && resolve());
        child.once('exit', (code) => reject(new Error(`driftline mcp --http exited with ${code}`)));
      });
      const url = new URL(`http://127.0.0.1:${port}/mcp`);
      const anonymous = await fetch(url, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(anonymous.status).toBe(401);
      const http = new Client({ name: 'driftline-test-http', version: '1' });
      await http.connect(
        new StreamableHTTPClientTransport(url, {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      const r = (await http.callTool({ name: 'open_alerts', arguments: { model_id: MODEL } })) as {
        content: { text: string }[];
      };
      expect(JSON.parse(r.content[0]!.text).count).toBe(2);
      await http.close();
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);

  it('shouldRefuseToStartWithoutAToken', async () => {
    const failed = await run(DRIFTLINE, ['mcp', '--http'], {
      env: { ...env, DRIFTLINE_MCP_TOKEN: '' },
    }).catch((e: { stderr: string }) => e);
    expect(String((failed as { stderr: string }).stderr)).toContain('DRIFTLINE_MCP_TOKEN must be set');
  }, 60_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { createCodecs } from '../../services/core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../services/core/src/serde/schema-registry.ts';
import { scalar, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { isStopped, pause } from './utils/pause.ts';
import { readCommitted } from './utils/read-committed.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

// A live zombie alerter: the active alerter is paused (SIGSTOP) between two rounds, a standby with the same
// transactional id starts and takes over, new windows close, and the zombie wakes up first (it polls faster,
// and its timer is overdue). It evaluates the new windows from its old state and tries to publish: its commit
// must be refused (the standby fenced it when it opened), so each alert is published once, by the standby.
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const env = isolatedEnv({
  DRIFTLINE_ALERT__DEFAULTS__RETRAIN__MAX_AGE: '"0s"',
  DRIFTLINE_ALERT__DEFAULTS__RETRAIN__NEW_LABELED_SAMPLES: '0',
});
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const ch = testClickHouse();
const codecs = createCodecs(new SchemaRegistryClient({ url: env.DRIFTLINE_SCHEMA_REGISTRY_URL! }));
const seconds = (ms: number) => Math.floor(ms / 1000);
const running: ServiceProcess[] = [];

/** drift_metrics rows of one closed window: `drifted` features drift (KS), the others do not. */
function driftRows(model: string, i: number, drifted: string[]) {
  const startMs = T0 + i * HOUR;
  const common = { model_id: model, model_version: 'v1', window_start: seconds(startMs) };
  const rest = { window_end: seconds(startMs + HOUR), p_value_adjusted: null, reason: '', basis: 'exact' };
  const more = {
    correction: 'bh',
    sample_count: 400,
    reference_count: 1000,
    profile_id: 'p',
    input_version: 1,
  };
  const row = (feature: string, method: string, statistic: number, p: number | null, isDrift: boolean) => ({
    ...common,
    ...rest,
    ...more,
    ...{ feature, feature_type: 'numeric', method, statistic, p_value: p, threshold: 0.05 },
    ...{ drifted: isDrift ? 1 : 0, decisive: 1, detail: '{}', computed_at: seconds(Date.now()) },
  });
  const features = ['age', 'income', 'tenure'].map((f) =>
    drifted.includes(f) ? row(f, 'ks', 0.42, 1e-6, true) : row(f, 'ks', 0.03, 0.7, false),
  );
  return [...features, row('__dataset__', 'share_drifted', drifted.length / 3, null, drifted.length > 0)];
}

function start(extra: Record<string, string>): ServiceProcess {
  const p = startServiceProcess('alerter', { ...env, ...extra });
  running.push(p);
  return p;
}

describe('live zombie alerter (real Kafka, registry, ClickHouse)', () => {
  afterAll(async () => {
    for (const p of running) {
      if (isStopped(p)) p.child.kill('SIGCONT');
      await p.stop('SIGKILL');
    }
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldPublishEachAlertOnceWhenAPausedAlerterWakesUpAfterAStandbyTookOver', async () => {
    const model = 'zombie-model';
    const zombie = start({ DRIFTLINE_ALERTER_POLL_MS: '200' });
    await waitReady(zombie);
    await pause(zombie);
    const standby = start({ DRIFTLINE_ALERTER_POLL_MS: '3000' });
    await waitReady(standby);
    await ch.insert({
      table: `${db}.drift_metrics`,
      values: [[], ['age'], ['age']].flatMap((d, i) => driftRows(model, i, d)),
      format: 'JSONEachRow',
    });
    zombie.child.kill('SIGCONT');
    await waitFor(
      'alerts stored',
      () => scalar(ch, `SELECT count() FROM ${db}.alerts FINAL WHERE model_id = '${model}'`),
      (n) => n >= 1,
      30_000,
    );
    // Two more rounds of the standby: anything it would publish twice is out by then.
    await new Promise((r) => setTimeout(r, 7000));

    const alerts = await Promise.all(readCommitted(topics.alerts).map((v) => codecs.alert.decode(v)));
    const mine = alerts.filter((a) => a.model_id === model);
    // Each alert once: a second publication of the same alert has the same id (a hash of what it is about).
    const ids = mine.map((a) => a.alert_id);
    expect(ids.length, JSON.stringify(mine.map((a) => [a.kind, a.status, a.metric]))).toBe(new Set(ids).size);
    expect(mine.some((a) => a.kind === 'DATA_DRIFT' && a.status === 'FIRING')).toBe(true);
    const stored = await scalar(ch, `SELECT count() FROM ${db}.alerts FINAL WHERE model_id = '${model}'`);
    expect(stored).toBe(mine.length);
    // The zombie's round was refused (fenced) and it stopped; the standby carries on.
    expect(await zombie.exited).toBe(1);
    expect(zombie.logs()).toMatch(/was fenced by a newer producer with the same id/);
    expect(standby.child.exitCode).toBeNull();
  }, 180_000);
});

import { describe, expect, it } from 'vitest';
import {
  classificationMetrics,
  confusionMatrix,
  metricValue,
} from '../../../../services/core/src/performance/classification-metrics.ts';
import { ClassificationState } from '../../../../services/core/src/performance/classification-state.ts';
import { exactOvrRocAuc, exactRocAuc } from '../../../../services/core/src/performance/exact-roc-auc.ts';
import type { ClassScores } from '../../../../services/core/src/performance/classification-state.ts';
import type { ClassificationCase, ClassificationFixture } from './fixture-types.ts';
import { expectClose, loadFixture } from './helpers.ts';

const fixture = loadFixture<ClassificationFixture>('classification.json');

function scoreRows(c: ClassificationCase): ClassScores[] | undefined {
  const labels = c.labels;
  if (c.scores === null || labels === null) return undefined;
  return c.scores.map((row) => Object.fromEntries(labels.map((label, i) => [label, row[i] ?? Number.NaN])));
}

function stateOf(
  c: ClassificationCase,
  logLossEpsilon = fixture.options.logLossEpsilon,
): ClassificationState {
  const state = new ClassificationState({ ...fixture.options, logLossEpsilon });
  const rows = scoreRows(c);
  c.y_true.forEach((t, i) => state.update(t, c.y_pred[i] ?? '', rows?.[i]));
  return state;
}

describe('classificationMetrics against scikit-learn reference values', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('shouldMatchEveryMetricWhen %s', (_, c) => {
    const metrics = classificationMetrics(stateOf(c));
    expect(metrics.map((m) => m.metric).sort()).toEqual(Object.keys(c.metrics).sort());
    for (const [name, expected] of Object.entries(c.metrics)) {
      expectClose(metricValue(metrics, name), expected, `${c.name} ${name}`);
    }
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('shouldMatchConfusionMatrixWhen %s', (_, c) => {
    expect(confusionMatrix(stateOf(c))).toEqual(c.confusion);
  });

  it.each(fixture.cases.filter((c) => c.scores !== null).map((c) => [c.name, c] as const))(
    'shouldMatchSklearnDefaultLogLossWithMachineEpsilonWhen %s',
    (_, c) => {
      const metrics = classificationMetrics(stateOf(c, fixture.options.machineEpsilon));
      expectClose(
        metricValue(metrics, 'log_loss'),
        c.reference['log_loss_machine_eps'] ?? Number.NaN,
        c.name,
      );
    },
  );

  it('shouldOmitUndefinedMetricsWhenWindowIsEmpty', () => {
    expect(classificationMetrics(new ClassificationState())).toEqual([
      { metric: 'count', value: 0 },
      { metric: 'scored_count', value: 0 },
    ]);
  });
});

describe('ROC AUC: exact from arrays, binned within its bound', () => {
  const withAuc = fixture.cases.filter((c) => c.reference['roc_auc_exact'] !== undefined);

  it.each(withAuc.map((c) => [c.name, c] as const))('shouldMatchSklearnExactAucWhen %s', (_, c) => {
    const rows = scoreRows(c) ?? [];
    const labels = c.labels ?? [];
    if (labels.length === 2) {
      const positive = labels[1] ?? '';
      const exact = exactRocAuc(
        rows.map((r) => r[positive] ?? 0),
        c.y_true.map((t) => t === positive),
      );
      expectClose(exact ?? Number.NaN, c.reference['roc_auc_exact'] ?? Number.NaN, c.name);
    } else {
      expectClose(
        exactOvrRocAuc(c.y_true, rows, 'macro') ?? Number.NaN,
        c.reference['roc_auc_exact'] ?? 0,
        'macro',
      );
      const weighted = exactOvrRocAuc(c.y_true, rows, 'weighted') ?? Number.NaN;
      expectClose(weighted, c.reference['roc_auc_weighted_exact'] ?? Number.NaN, 'weighted');
    }
  });

  it.each(withAuc.map((c) => [c.name, c] as const))('shouldStayWithinBoundOfExactAucWhen %s', (_, c) => {
    const metrics = classificationMetrics(stateOf(c));
    for (const name of ['roc_auc', 'roc_auc_weighted']) {
      const exact = c.reference[`${name}_exact`];
      if (exact === undefined) continue;
      const binned = metricValue(metrics, name) ?? Number.NaN;
      const bound = metricValue(metrics, `${name}_max_error`) ?? Number.NaN;
      expect(Math.abs(binned - exact)).toBeLessThanOrEqual(bound + 1e-12);
    }
  });
});

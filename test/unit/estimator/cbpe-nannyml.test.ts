import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateMetrics } from '../../../services/core/src/performance/estimate-metrics.ts';
import { EstimateState } from '../../../services/core/src/performance/estimate-state.ts';
import { CalibrationCounts } from '../../../services/core/src/performance/isotonic-calibration.ts';

/** Rows are `[score per label..., true label, predicted label]`. */
type Row = (number | string)[];
interface Chunk {
  accuracy: number;
  f1: number;
  roc_auc: number;
}
interface Dataset {
  labels: string[];
  reference: Row[];
  analysis: Row[];
  chunks: Chunk[];
}
interface Fixture {
  chunk_size: number;
  binary: Dataset;
  multiclass: Dataset;
}

const fixture = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../fixtures/performance/cbpe-nannyml.json'), 'utf8'),
) as Fixture;

function scoresOf(row: Row, labels: string[]): Record<string, number> {
  return Object.fromEntries(labels.map((l, i) => [l, row[i] as number]));
}

function estimates(d: Dataset): Map<string, number>[] {
  const k = d.labels.length;
  const counts = new CalibrationCounts();
  for (const row of d.reference) counts.update(scoresOf(row, d.labels), row[k] as string);
  const calibration = counts.fit();
  const out: Map<string, number>[] = [];
  for (let start = 0; start < d.analysis.length; start += fixture.chunk_size) {
    const state = new EstimateState(calibration.classes);
    for (const row of d.analysis.slice(start, start + fixture.chunk_size))
      state.update(row[k + 1] as string, scoresOf(row, d.labels), calibration);
    out.push(new Map(estimateMetrics(state).map((f) => [f.metric, f.value])));
  }
  return out;
}

describe('CBPE estimates against NannyML 0.13.1 on identical data', () => {
  it('shouldMatchNannyMlPerChunkWithin0.01WhenBinary', () => {
    const d = fixture.binary;
    const ours = estimates(d);
    expect(ours).toHaveLength(d.chunks.length);
    d.chunks.forEach((theirs, i) => {
      expect(Math.abs(ours[i]!.get('accuracy')! - theirs.accuracy)).toBeLessThan(0.01);
      // NannyML's binary F1 is the positive class's.
      expect(Math.abs(ours[i]!.get(`f1:${d.labels[1]!}`)! - theirs.f1)).toBeLessThan(0.01);
      expect(Math.abs(ours[i]!.get('roc_auc')! - theirs.roc_auc)).toBeLessThan(0.01);
    });
  });

  it('shouldMatchNannyMlPerChunkWithin0.01WhenMulticlass', () => {
    const d = fixture.multiclass;
    const ours = estimates(d);
    expect(ours).toHaveLength(d.chunks.length);
    d.chunks.forEach((theirs, i) => {
      expect(Math.abs(ours[i]!.get('accuracy')! - theirs.accuracy)).toBeLessThan(0.01);
      expect(Math.abs(ours[i]!.get('f1_macro')! - theirs.f1)).toBeLessThan(0.01);
      expect(Math.abs(ours[i]!.get('roc_auc')! - theirs.roc_auc)).toBeLessThan(0.01);
    });
  });

  it('shouldMergePartialStatesToTheWholeWhenSplitAnywhere', () => {
    const d = fixture.multiclass;
    const counts = new CalibrationCounts();
    const half = new CalibrationCounts();
    const other = new CalibrationCounts();
    d.reference.forEach((row, i) => {
      counts.update(scoresOf(row, d.labels), row[3] as string);
      (i % 3 === 0 ? half : other).update(scoresOf(row, d.labels), row[3] as string);
    });
    const mergedCounts = half.merge(CalibrationCounts.fromJSON(other.toJSON()));
    expect(mergedCounts.labeled).toBe(counts.labeled);
    const calibration = counts.fit();
    const mergedCalibration = mergedCounts.fit();
    for (const row of d.analysis.slice(0, 200)) {
      const scores = scoresOf(row, d.labels);
      const [x, y] = [calibration.calibrate(scores), mergedCalibration.calibrate(scores)];
      x.forEach((p, j) => expect(y[j]).toBeCloseTo(p, 9));
    }
    const whole = new EstimateState(calibration.classes);
    const a = new EstimateState(calibration.classes);
    const b = new EstimateState(calibration.classes);
    d.analysis.slice(0, 1000).forEach((row, i) => {
      const args = [row[4] as string, scoresOf(row, d.labels), calibration] as const;
      whole.update(...args);
      (i < 377 ? a : b).update(...args);
    });
    const merged = a.merge(EstimateState.fromJSON(b.toJSON()));
    const byName = (s: EstimateState) => new Map(estimateMetrics(s).map((f) => [f.metric, f.value]));
    for (const [metric, value] of byName(whole)) expect(byName(merged).get(metric)).toBeCloseTo(value, 9);
  });
});

import { describe, expect, it } from 'vitest';
import { classifierTraffic, take } from '../../../services/simulator/src/classifier-traffic.ts';
import { arrivalChunks } from '../../../services/simulator/src/publish.ts';

const pairs = take(3000, classifierTraffic({ modelId: 'm', modelVersion: 'v1', startMs: 0, stepMs: 40 }));

describe('arrivalChunks', () => {
  const chunks = arrivalChunks(pairs, 0.9, 20_000);

  it('shouldSendEachPredictionInTheChunkOfItsEventTime', () => {
    expect(chunks.flatMap((c) => c.predictions)).toHaveLength(3000);
    for (const c of chunks) {
      for (const p of c.predictions) expect(Math.floor(p.timestamp / 20_000)).toBe(c.untilMs / 20_000 - 1);
    }
    expect(chunks.map((c) => c.untilMs)).toEqual([...chunks.map((c) => c.untilMs)].sort((a, b) => a - b));
  });

  it('shouldSendTheChosenShareOfLabelsAtTheirLabelTimeNeverBeforeTheirPrediction', () => {
    const sentAt = new Map<string, number>();
    chunks.forEach((c, i) => c.predictions.forEach((p) => sentAt.set(p.prediction_id, i)));
    const labels = chunks.flatMap((c, i) => c.labels.map((l) => ({ l, i })));
    expect(labels.length / pairs.length).toBeCloseTo(0.9, 2);
    for (const { l, i } of labels) {
      expect(l.timestamp).toBeLessThan(chunks[i]!.untilMs);
      expect(i).toBeGreaterThanOrEqual(sentAt.get(l.prediction_id)!);
    }
  });

  it('shouldChooseTheSameLabelsEveryRun', () => {
    expect(arrivalChunks(pairs, 0.9, 20_000)).toEqual(chunks);
  });
});

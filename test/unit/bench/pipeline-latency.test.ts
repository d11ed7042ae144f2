import { describe, expect, it } from 'vitest';
import { percentiles } from '../../../bench/lib/percentiles.ts';
import { closableAt } from '../../../bench/pipeline/alerts.ts';
import { buildTimedStream, T0, type TimedEvent } from '../../../bench/pipeline/stream.ts';
import { BlockRanges } from '../../../bench/pipeline/visibility.ts';

const HOUR = 3_600_000;
const lateness = { driftMs: 5 * 60_000, performanceMs: HOUR };

function event(topic: TimedEvent['topic'], modelId: string, predictedAt: number): TimedEvent {
  return {
    topic,
    id: `${modelId}-${predictedAt}`,
    modelId,
    predictedAt,
    timestamp: predictedAt,
    message: { value: null },
  };
}

describe('percentiles', () => {
  it('shouldGiveMeasuredValuesWhenTakingNearestRankPercentiles', () => {
    expect(percentiles([5, 1, 4, 2, 3])).toEqual({ n: 5, p50: 3, p95: 5, p99: 5, max: 5 });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(hundred)).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('shouldGiveNaNWhenTheSampleIsEmpty', () => {
    expect(percentiles([]).p99).toBeNaN();
  });
});

describe('closableAt', () => {
  const end = T0 + HOUR;
  const events = [
    event('inference', 'model-2', end + 4 * 60_000), // within grace: the window is still open
    event('inference', 'model-1', end + 6 * 60_000), // another model's clock does not close it
    event('truth', 'model-2', end + 6 * 60_000), // a label is not a prediction
    event('inference', 'model-2', end + 5 * 60_000), // exactly end + grace: closable
    event('inference', 'model-2', end + 7 * 60_000),
  ];
  const sentAt = Float64Array.from([10, 20, 30, 40, 50]);
  const alert = { modelId: 'model-2', windowEndMs: end, provisional: false };

  it('shouldTimeADriftWindowFromTheFirstPredictionPastEndPlusGraceWhenItsModelGetsThere', () => {
    expect(closableAt({ ...alert, kind: 'DATA_DRIFT' }, events, sentAt, lateness)).toBe(40);
  });

  it('shouldTimeAPerformanceWindowFromTheFirstLabelOfAPredictionPastEndPlusLatenessWhenLabelsComeOutOfOrder', () => {
    const labels = [
      event('truth', 'model-1', end + HOUR - 1),
      event('truth', 'model-1', end + HOUR + 5),
      event('truth', 'model-1', end + HOUR),
    ];
    const at = Float64Array.from([1, 3, 2]);
    expect(closableAt({ ...alert, modelId: 'model-1', kind: 'PERFORMANCE' }, labels, at, lateness)).toBe(2);
  });

  it('shouldGiveNoMomentWhenTheAlertIsNotAboutAFinalWindow', () => {
    expect(
      closableAt({ ...alert, kind: 'PERFORMANCE', provisional: true }, events, sentAt, lateness),
    ).toBeUndefined();
    expect(closableAt({ ...alert, kind: 'CONCEPT_DRIFT' }, events, sentAt, lateness)).toBeUndefined();
  });

  it('shouldGiveNoMomentWhenTheStreamNeverPassedTheWindow', () => {
    expect(
      closableAt({ ...alert, kind: 'DATA_DRIFT', windowEndMs: end + HOUR }, events, sentAt, lateness),
    ).toBeUndefined();
  });
});

describe('buildTimedStream', () => {
  it('shouldSendEveryRecordInEventTimeOrderWhenBuildingThePacedStream', () => {
    const events = buildTimedStream(() => Buffer.alloc(1), 3_000, 3.25 * HOUR);
    expect(events.filter((e) => e.topic === 'inference')).toHaveLength(3_000);
    expect(events.filter((e) => e.topic === 'truth')).toHaveLength(2_700);
    expect(events.every((e, i) => i === 0 || events[i - 1]!.timestamp <= e.timestamp)).toBe(true);
    const last = Math.max(...events.filter((e) => e.topic === 'inference').map((e) => e.timestamp));
    expect(last).toBeGreaterThan(T0 + 3 * HOUR + lateness.driftMs); // the window [02:00, 03:00) closes
  });

  it('shouldKeepTheMeasuredModelsClocksUntouchedWhenBuildingAWarmUp', () => {
    const warmUp = buildTimedStream(() => Buffer.alloc(1), 300, 3.25 * HOUR, true);
    expect(new Set(warmUp.map((e) => e.modelId))).toEqual(new Set(['warm-up-0', 'warm-up-1', 'warm-up-2']));
    expect(Math.max(...warmUp.map((e) => e.timestamp))).toBeLessThan(T0);
  });
});

describe('visibility poller block ranges', () => {
  it('shouldCoverAMergedPartOnlyWhenEveryBlockOfItWasRead', () => {
    const read = new BlockRanges();
    read.add(1, 1);
    read.add(2, 2);
    read.add(4, 4);
    expect(read.covers(1, 2)).toBe(true); // all_1_2_1, a merge of two parts read
    expect(read.covers(1, 4)).toBe(false); // block 3 was never read
    expect(read.covers(3, 3)).toBe(false);
    read.add(3, 3);
    expect(read.covers(1, 4)).toBe(true);
    expect(read.covers(5, 5)).toBe(false);
  });

  it('shouldJoinRangesAddedOutOfOrder', () => {
    const read = new BlockRanges();
    read.add(7, 9);
    read.add(1, 3);
    read.add(4, 6);
    expect(read.covers(1, 9)).toBe(true);
    expect(read.covers(0, 1)).toBe(false);
  });
});

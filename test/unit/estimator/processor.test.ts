import { describe, expect, it } from 'vitest';
import { CalibrationCounts } from '../../../services/core/src/performance/isotonic-calibration.ts';
import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { TumblingWindows } from '../../../services/core/src/windows/tumbling-windows.ts';
import { PartitionEstimator, type DecodedInference } from '../../../services/estimator/src/processor.ts';

const MINUTE = 60_000;
const counts = new CalibrationCounts();
for (let i = 0; i < 100; i++) counts.update({ no: 1 - i / 100, yes: i / 100 }, i % 3 === 0 ? 'no' : 'yes');
const calibration = counts.fit();

function event(id: string, timestamp: number, yes = 0.8, version = 'v1'): InferenceEvent {
  return {
    prediction_id: id,
    model_id: 'm',
    model_version: version,
    timestamp,
    features: {},
    prediction: { label: yes >= 0.5 ? 'yes' : 'no', scores: { no: 1 - yes, yes } },
  };
}

function processor() {
  return new PartitionEstimator(0, TumblingWindows.ofSizeAndGrace(MINUTE, 5000, 'test'), new Map(), []);
}

const at = (events: (InferenceEvent | null)[], from = 0): DecodedInference[] =>
  events.map((event, i) => ({ offset: from + i, event }));
const calibrated = (_m: string, v: string) => (v === 'v1' ? calibration : undefined);
const never = () => false;

describe('the estimator processor', () => {
  it('shouldAddEachCalibratedPredictionToItsEventTimeWindowOnce', () => {
    const p = processor();
    const out = p.process(
      at([event('a', 1000), event('b', 2000), event('a', 3000), event('c', MINUTE + 1)]),
      calibrated,
      never,
    );
    expect(out).toMatchObject({ estimated: 3, duplicates: 1 });
    expect(out.touched.map((w) => [w.startMs, w.state.count])).toEqual([
      [0, 2],
      [MINUTE, 1],
    ]);
  });

  it('shouldSkipWhatIsAlreadyInTheStateWhenABatchIsReplayed', () => {
    const p = processor();
    const batch = at([event('a', 1000), event('b', 2000)]);
    p.process(batch, calibrated, never);
    expect(p.process(batch, calibrated, never)).toMatchObject({ estimated: 0, replayed: 2 });
  });

  it('shouldCountNotEstimateWhenTheVersionIsUncalibratedTheScoresInvalidOrTheValueUndecodable', () => {
    const out = processor().process(
      at([event('a', 1000, 0.8, 'v2'), event('b', 1000, Number.NaN), null]),
      calibrated,
      never,
    );
    expect(out).toMatchObject({ estimated: 0, uncalibrated: 1, unscored: 1, undecodable: 1 });
  });

  it('shouldCountAnEventLateWhenItsWindowClosedOnThePartitionOrWasEstimated', () => {
    const p = processor();
    p.process(at([event('a', 2 * MINUTE + 6000)]), calibrated, never);
    const late = p.process(at([event('b', 1000)], 1), calibrated, never);
    expect(late).toMatchObject({ estimated: 0, late: 1 });
    const closed = p.process(at([event('c', 2 * MINUTE + 7000)], 2), calibrated, () => true);
    expect(closed).toMatchObject({ estimated: 0, late: 1 });
  });

  it('shouldCountAnEventLateWhenAnotherVersionOfItsModelMovedTheClockPastItsWindowInTheSameBatch', () => {
    const p = processor();
    const out = p.process(
      at([
        event('a', 1000),
        event('b', 2 * MINUTE + 6000, 0.8, 'v2'),
        event('c', 2000),
        event('d', 3000, 0.8, 'v2'),
      ]),
      () => calibration,
      never,
    );
    expect(out).toMatchObject({ estimated: 2, late: 2 });
    expect(out.modelTimes.get('m')).toBe(2 * MINUTE + 6000);
    expect(out.touched.map((w) => [w.modelVersion, w.startMs, w.state.count])).toEqual([
      ['v1', 0, 1],
      ['v2', 2 * MINUTE, 1],
    ]);
    expect(p.openWindows).toBe(2);
    p.evict(never);
    expect(p.openWindows).toBe(1);
  });
});

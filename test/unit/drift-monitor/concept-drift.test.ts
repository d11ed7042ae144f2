import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import { ConceptDriftProcessor, errorOf } from '../../../services/drift-monitor/src/concept-drift.ts';
import { DEFAULT_CONFIRMATION } from '../../../services/drift-monitor/src/error-history.ts';
import { detectionRow } from '../../../services/drift-monitor/src/rows.ts';
import { mulberry32 } from '../../../services/core/src/stats/random.ts';

interface Fixture {
  values: number[];
  runs: { detector: string; params: Record<string, number>; drifts: number[] }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/drift/river-docstring-42.json', import.meta.url), 'utf8'),
) as Fixture;
const riverDrift = (detector: string) =>
  fixture.runs.find((r) => r.detector === detector && (detector !== 'ddm' || r.params.warm_start === 30))!
    .drifts;

/** River's DDM docstring stream as joined predictions: value 1 is a wrong prediction. */
const joined = fixture.values.map((v, i): JoinedPrediction => ({
  prediction_id: `p${i}`,
  model_id: 'm',
  model_version: 'v1',
  predicted_at: i * 1000,
  labeled_at: i * 1000 + 500,
  predicted_label: 'a',
  label: v === 1 ? 'b' : 'a',
  correction: false,
}));
const messages = joined.map((record, offset) => ({ offset, record }));
/** River's signals as they come, for the parity checks: no confirmation. */
const RAW = null;

/** 0/1 errors at `rate`, rising by `rise` from index `at`. */
function errorStream(seed: number, n: number, rate: number, rise = 0, at = n) {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    offset: i,
    record: {
      ...joined[0]!,
      prediction_id: `q${i}`,
      labeled_at: i,
      label: rng() < rate + (i >= at ? rise : 0) ? 'b' : 'a',
    },
  }));
}

describe('ConceptDriftProcessor', () => {
  it('shouldSignalWhereRiverDoesForEachDetectorOnTheErrorStream', () => {
    const p = new ConceptDriftProcessor(['adwin', 'page_hinkley', 'ddm'], [], RAW);
    const { detections } = p.process(messages);
    for (const name of ['adwin', 'page_hinkley', 'ddm']) {
      expect(detections.filter((d) => d.detector === name).map((d) => d.offset)).toEqual(riverDrift(name));
    }
    const ddm = detections.find((d) => d.detector === 'ddm')!;
    expect(ddm).toMatchObject({ fromMs: 500, atMs: 1334 * 1000 + 500, count: 1335 });
    expect(ddm.meanError).toBeCloseTo(fixture.values.slice(0, 1335).reduce((a, b) => a + b, 0) / 1335, 12);
  });

  it('shouldResumeExactlyWhenRestoredFromStoredStateAndABatchIsReplayed', () => {
    const first = new ConceptDriftProcessor(['adwin', 'page_hinkley', 'ddm'], [], RAW);
    const a = first.process(messages.slice(0, 1100));
    const stored = JSON.parse(JSON.stringify(ConceptDriftProcessor.stateRows(a.touched, 0, 0)));
    // The offset commit was lost: the restarted consumer sees offsets 900.. again.
    const second = new ConceptDriftProcessor(['adwin', 'page_hinkley', 'ddm'], stored, RAW);
    const b = second.process(messages.slice(900));
    const all = [...a.detections, ...b.detections];
    for (const name of ['adwin', 'page_hinkley', 'ddm']) {
      expect(all.filter((d) => d.detector === name).map((d) => d.offset)).toEqual(riverDrift(name));
    }
  });

  it('shouldSkipCorrectionsAndFeedDdmOnlyBinaryErrors', () => {
    const p = new ConceptDriftProcessor(['adwin', 'ddm']);
    const regression = { ...joined[0]!, predicted_label: null, predicted_value: 10, label: 12.5 };
    const out = p.process([
      { offset: 0, record: regression },
      { offset: 1, record: { ...joined[1]!, correction: true } },
      { offset: 2, record: null },
    ]);
    expect(out.touched.map((t) => [t.name, t.count, t.sum])).toEqual([['adwin', 1, 2.5]]);
    expect(out.lastOffset).toBe(2);
  });

  it('shouldWriteADetectionAsAnErrorRowOfItsDetector', () => {
    const { detections } = new ConceptDriftProcessor(['ddm'], [], RAW).process(messages);
    expect(detectionRow(detections[0]!, 0)).toMatchObject({
      feature: '__error__',
      method: 'ddm',
      drifted: 1,
      window_start: 0,
      window_end: 1334,
      sample_count: 1335,
      input_version: 1334,
    });
  });
});

describe('ConceptDriftProcessor with confirmation (the default)', () => {
  it('shouldReportNoDriftOnStationaryStreamsWhereRiversDdmSignals', () => {
    let raw = 0;
    let reported = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const stream = errorStream(seed, 3000, 0.2);
      raw += new ConceptDriftProcessor(['ddm'], [], RAW).process(stream).detections.length;
      reported += new ConceptDriftProcessor(['ddm']).process(stream).detections.length;
    }
    expect(raw).toBeGreaterThan(5);
    expect(reported).toBe(0);
  });

  it('shouldReportATenPointRiseWithTheRiseThatConfirmedIt', () => {
    const stream = errorStream(3, 5000, 0.2, 0.1, 2000);
    const [first] = new ConceptDriftProcessor(['adwin']).process(stream).detections;
    expect(first!.offset).toBeGreaterThanOrEqual(2000);
    expect(first!.offset).toBeLessThan(3500);
    expect(first!.confirmation!.pValue).toBeLessThanOrEqual(DEFAULT_CONFIRMATION.alpha);
    expect(first!.confirmation!.recentMean).toBeGreaterThan(first!.confirmation!.baselineMean);
    expect(JSON.parse(detectionRow(first!, 0).detail)).toMatchObject({
      recent_count: first!.confirmation!.recentCount,
    });
  });

  it('shouldGiveTheSameDetectionsWhenRestoredMidStreamFromStoredState', () => {
    const stream = errorStream(4, 5000, 0.2, 0.15, 2000);
    const names = ['adwin', 'page_hinkley', 'ddm'] as const;
    const whole = new ConceptDriftProcessor(names).process(stream).detections;
    const first = new ConceptDriftProcessor(names);
    const a = first.process(stream.slice(0, 2300));
    const stored = JSON.parse(JSON.stringify(ConceptDriftProcessor.stateRows(a.touched, 0, 0)));
    const b = new ConceptDriftProcessor(names, stored).process(stream.slice(2300));
    expect([...a.detections, ...b.detections]).toEqual(whole);
    expect(whole.length).toBeGreaterThan(0);
  });
});

describe('errorOf', () => {
  it.each([
    [
      { predicted_label: 'a', label: 'a' },
      { value: 0, binary: true },
    ],
    [
      { predicted_label: '1', label: 1 },
      { value: 0, binary: true },
    ],
    [
      { predicted_label: 'a', label: 'b' },
      { value: 1, binary: true },
    ],
    [
      { predicted_value: 3, label: 1 },
      { value: 2, binary: false },
    ],
    [{ predicted_value: 3, label: 'x' }, null],
  ])('shouldScore %j as %j', (pair, expected) => {
    expect(errorOf({ ...joined[0]!, predicted_label: null, ...pair } as JoinedPrediction)).toEqual(expected);
  });
});

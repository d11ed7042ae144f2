import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import { ConceptDriftProcessor, errorOf } from '../../../services/drift-monitor/src/concept-drift.ts';
import { detectionRow } from '../../../services/drift-monitor/src/rows.ts';

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

describe('ConceptDriftProcessor', () => {
  it('shouldSignalWhereRiverDoesForEachDetectorOnTheErrorStream', () => {
    const p = new ConceptDriftProcessor(['adwin', 'page_hinkley', 'ddm']);
    const { detections } = p.process(messages);
    for (const name of ['adwin', 'page_hinkley', 'ddm']) {
      expect(detections.filter((d) => d.detector === name).map((d) => d.offset)).toEqual(riverDrift(name));
    }
    const ddm = detections.find((d) => d.detector === 'ddm')!;
    expect(ddm).toMatchObject({ fromMs: 500, atMs: 1334 * 1000 + 500, count: 1335 });
    expect(ddm.meanError).toBeCloseTo(fixture.values.slice(0, 1335).reduce((a, b) => a + b, 0) / 1335, 12);
  });

  it('shouldResumeExactlyWhenRestoredFromStoredStateAndABatchIsReplayed', () => {
    const first = new ConceptDriftProcessor(['adwin', 'page_hinkley', 'ddm']);
    const a = first.process(messages.slice(0, 1100));
    const stored = JSON.parse(JSON.stringify(ConceptDriftProcessor.stateRows(a.touched, 0, 0)));
    // The offset commit was lost: the restarted consumer sees offsets 900.. again.
    const second = new ConceptDriftProcessor(['adwin', 'page_hinkley', 'ddm'], stored);
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
    const { detections } = new ConceptDriftProcessor(['ddm']).process(messages);
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

import { describe, expect, it } from 'vitest';
import { referenceStretches } from '../../../bench/verdicts/reference-stretch.ts';
import { scenarios, VERSIONS } from '../../../bench/verdicts/scenarios.ts';

/** The default baseline's size (DRIFTLINE_PERF_BASELINE=labels:2000). */
const BASELINE_LABELS = 2000;
const fraud = VERSIONS.find((v) => v.modelId === 'fraud')!;

// Generating the first windows of every scenario takes a few seconds of CPU; the machine may be busy.
const SLOW = 300_000;

describe('verdict benchmark reference samples', () => {
  it(
    'shouldMeasureTheReferenceAgainstTheTruthWhenTheDrawIsAnOutlier',
    () => {
      // Seed 1's stationary draw: fraud v1's first 2,000 labels by arrival hold 1,669 correct predictions.
      // z = (0.8345 - 0.8) / sqrt(0.8 * 0.2 / 2000) = 0.0345 / 0.0089443 = 3.857.
      const seedOne = { ...scenarios()[0]!, seed: 1 };
      const [r] = referenceStretches(seedOne, [fraud], BASELINE_LABELS);
      if (!r) throw new Error('no stretch');
      expect(r.labels).toBe(2000);
      expect(r.accuracy).toBeCloseTo(0.8345, 6);
      expect(r.z).toBeCloseTo(3.857, 3);
    },
    SLOW,
  );

  it(
    'shouldDrawEveryBaselineWithinThreeStandardErrorsWhenTheScenariosAreSeeded',
    () => {
      const outliers = scenarios().flatMap((s) =>
        referenceStretches(s, VERSIONS, BASELINE_LABELS)
          .map((r, i) => ({ s, v: VERSIONS[i]!, r }))
          .filter(({ r }) => r.labels < BASELINE_LABELS || Math.abs(r.z) > 3)
          .map(
            ({ s, v, r }) =>
              `${s.name} @ ${s.eventsPerWindow} seed ${s.seed} ${v.modelId} ${v.modelVersion}: z=${r.z.toFixed(2)}`,
          ),
      );
      expect(outliers).toEqual([]);
    },
    SLOW,
  );
});

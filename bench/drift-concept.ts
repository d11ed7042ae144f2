/**
 * False alarms and detection delay of the concept-drift detectors as the drift monitor uses them.
 *
 *   npx tsx bench/drift-concept.ts [streams per rate, default 100]
 *
 * Streams of 0/1 errors of one model version, the size the demo produces (3,000 labeled predictions), at
 * error rates 0.1, 0.2 and 0.3 (seeded). Per detector at default settings, River's raw signals (every one
 * reported, `confirmation: null`) beside the monitor's confirmed ones (DEFAULT_CONFIRMATION):
 * - false alarms per 100 stationary streams (signals on streams without any change);
 * - on streams whose error rate rises by 10 points after 2,000 errors (then 3,000 more): signals before
 *   the rise, misses (no signal after it) and the median and 90th percentile delay in errors after it.
 */
import type { JoinedPrediction } from '../services/core/src/records/records.generated.ts';
import type { DetectorName } from '../services/core/src/drift/registry.ts';
import { mulberry32 } from '../services/core/src/stats/random.ts';
import { ConceptDriftProcessor } from '../services/drift-monitor/src/concept-drift.ts';
import { DEFAULT_CONFIRMATION, type Confirmation } from '../services/drift-monitor/src/error-history.ts';

const STREAMS = Number(process.argv[2] ?? 100);
const RATES = [0.1, 0.2, 0.3];
const STATIONARY = 3000;
const BEFORE = 2000;
const AFTER = 3000;
const DETECTORS: DetectorName[] = ['adwin', 'page_hinkley', 'ddm'];

function stream(seed: number, rate: number, rise: number): { offset: number; record: JoinedPrediction }[] {
  const rng = mulberry32(seed);
  const n = rise === 0 ? STATIONARY : BEFORE + AFTER;
  return Array.from({ length: n }, (_, i) => {
    const wrong = rng() < rate + (i >= BEFORE ? rise : 0);
    const record: JoinedPrediction = {
      prediction_id: `p${i}`,
      model_id: 'm',
      model_version: 'v1',
      predicted_at: i * 1000,
      labeled_at: i * 1000,
      predicted_label: 'a',
      label: wrong ? 'b' : 'a',
      correction: false,
    };
    return { offset: i, record };
  });
}

function signals(name: DetectorName, c: Confirmation | null, seed: number, rate: number, rise: number) {
  return new ConceptDriftProcessor([name], [], c)
    .process(stream(seed, rate, rise))
    .detections.map((d) => d.offset);
}

const quantile = (xs: number[], q: number) =>
  xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

function measure(name: DetectorName, c: Confirmation | null) {
  let falseStationary = 0;
  let falseBefore = 0;
  let misses = 0;
  const delays: number[] = [];
  let seed = 1;
  for (const rate of RATES)
    for (let s = 0; s < STREAMS; s++) {
      falseStationary += signals(name, c, seed++, rate, 0).length;
      const hits = signals(name, c, seed++, rate, 0.1);
      falseBefore += hits.filter((o) => o < BEFORE).length;
      const after = hits.find((o) => o >= BEFORE);
      if (after === undefined) misses += 1;
      else delays.push(after - BEFORE + 1);
    }
  const n = STREAMS * RATES.length;
  return {
    falsePer100: (100 * falseStationary) / n,
    falseBeforePer100: (100 * falseBefore) / n,
    missPct: (100 * misses) / n,
    p50: quantile(delays, 0.5),
    p90: quantile(delays, 0.9),
  };
}

console.log(
  `${STREAMS * RATES.length} streams per row (error rates ${RATES.join(', ')}); stationary: ${STATIONARY} errors; ` +
    `rise: +10 points after ${BEFORE} errors, then ${AFTER}`,
);
console.log(
  `confirmation: min ${DEFAULT_CONFIRMATION.minSamples} errors, rise of the last ${DEFAULT_CONFIRMATION.recent.join('/')} ` +
    `errors at one-sided p <= ${DEFAULT_CONFIRMATION.alpha} (Bonferroni)`,
);
console.log(
  'detector       reported     false/100 stationary  false/100 before rise  missed  delay p50  p90',
);
for (const name of DETECTORS)
  for (const [label, c] of [
    ['raw (River)', null],
    ['confirmed', DEFAULT_CONFIRMATION],
  ] as const) {
    const m = measure(name, c);
    console.log(
      `${name.padEnd(14)} ${label.padEnd(12)} ${m.falsePer100.toFixed(1).padStart(20)}  ${m.falseBeforePer100
        .toFixed(1)
        .padStart(
          21,
        )}  ${`${m.missPct.toFixed(0)}%`.padStart(6)}  ${String(m.p50).padStart(9)}  ${String(m.p90).padStart(4)}`,
    );
  }

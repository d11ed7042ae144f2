/**
 * The JSON form of a ClassificationState and its validation: every count, index and bin is
 * checked, so that a corrupt changelog record fails at load time with the offending path, not
 * later as a wrong metric.
 */
import { CalibrationBins } from './calibration-bins.ts';
import type { CalibrationBinsJson } from './calibration-bins.ts';
import { resolveClassificationOptions } from './classification-options.ts';
import type { ResolvedClassificationOptions } from './classification-options.ts';
import { InvalidStateJsonError } from './errors.ts';
import {
  expectArray,
  expectCount,
  expectFinite,
  expectIndexedCounts,
  expectLabels,
  expectRecord,
} from './json-guards.ts';
import { ScoreHistograms } from './score-histograms.ts';
import type { ScoreHistogramsJson } from './score-histograms.ts';

/** Plain-data snapshot (for changelogs and ClickHouse rollups); `fromJSON(toJSON())` is lossless. */
export interface ClassificationStateJson {
  readonly version: 1;
  readonly options: ResolvedClassificationOptions;
  readonly labels: readonly string[];
  /** Per label: held samples carrying it (true, predicted or score key). Absent in older snapshots. */
  readonly labelSamples?: readonly number[];
  readonly count: number;
  /** Non-zero confusion cells as `[trueIndex, predictedIndex, count]`, indices into `labels`. */
  readonly confusion: readonly (readonly [number, number, number])[];
  readonly scored: {
    readonly count: number;
    readonly logLossSum: number;
    readonly brierSum: number;
    readonly calibration: CalibrationBinsJson;
    readonly histograms: ScoreHistogramsJson;
  };
}

/** A validated snapshot, with bins and histograms already rebuilt. */
export interface ParsedClassificationState {
  readonly options: ResolvedClassificationOptions;
  readonly labels: readonly string[];
  /** Undefined for a snapshot written before label counts existed. */
  readonly labelSamples: readonly number[] | undefined;
  readonly count: number;
  readonly confusion: readonly (readonly [number, number, number])[];
  readonly scoredCount: number;
  readonly logLossSum: number;
  readonly brierSum: number;
  readonly calibration: CalibrationBins;
  readonly histograms: ScoreHistograms;
}

function parseOptions(value: unknown): ResolvedClassificationOptions {
  const json = expectRecord(value, 'options');
  const options = {
    calibrationBins: expectCount(json['calibrationBins'], 'options.calibrationBins'),
    aucBins: expectCount(json['aucBins'], 'options.aucBins'),
    logLossEpsilon: expectFinite(json['logLossEpsilon'], 'options.logLossEpsilon'),
  };
  try {
    return resolveClassificationOptions(options);
  } catch (error) {
    throw new InvalidStateJsonError('options', 'valid options', { cause: error });
  }
}

function parseConfusion(value: unknown, labelCount: number, count: number): [number, number, number][] {
  const cells = expectIndexedCounts(value, 'confusion', [labelCount, labelCount, Infinity]).map(
    ([t = 0, p = 0, n = 0]): [number, number, number] => [t, p, n],
  );
  const sum = cells.reduce((acc, [, , n]) => acc + n, 0);
  if (sum !== count)
    throw new InvalidStateJsonError('confusion', `cells summing to count (${count}), got ${sum}`);
  return cells;
}

function parseLabelSamples(value: unknown, labelCount: number, count: number): number[] | undefined {
  if (value === undefined) return undefined;
  const samples = expectArray(value, 'labelSamples').map((n, i) => expectCount(n, `labelSamples[${i}]`));
  if (samples.length !== labelCount) throw new InvalidStateJsonError('labelSamples', `${labelCount} counts`);
  if (samples.some((n) => n > count))
    throw new InvalidStateJsonError('labelSamples', `counts ≤ count (${count})`);
  return samples;
}

/**
 * Checks a snapshot written by `ClassificationState.toJSON` (version 1).
 * @throws {InvalidStateJsonError} naming the first offending path (not retriable)
 */
export function parseClassificationState(value: unknown): ParsedClassificationState {
  const json = expectRecord(value, '$');
  if (json['version'] !== 1) throw new InvalidStateJsonError('version', '1');
  const options = parseOptions(json['options']);
  const labels = expectLabels(json['labels'], 'labels');
  const count = expectCount(json['count'], 'count');
  const confusion = parseConfusion(json['confusion'], labels.length, count);
  const scored = expectRecord(json['scored'], 'scored');
  const scoredCount = expectCount(scored['count'], 'scored.count');
  if (scoredCount > count) throw new InvalidStateJsonError('scored.count', `at most count (${count})`);
  return {
    options,
    labels,
    labelSamples: parseLabelSamples(json['labelSamples'], labels.length, count),
    count,
    confusion,
    scoredCount,
    logLossSum: expectFinite(scored['logLossSum'], 'scored.logLossSum'),
    brierSum: expectFinite(scored['brierSum'], 'scored.brierSum'),
    calibration: CalibrationBins.fromJSON(
      scored['calibration'],
      options.calibrationBins,
      'scored.calibration',
    ),
    histograms: ScoreHistograms.fromJSON(
      scored['histograms'],
      labels.length,
      options.aucBins,
      'scored.histograms',
    ),
  };
}

/**
 * Our side of the peer benchmark, one process: reads the CSV, turns each row into an inference event (the
 * object the drift monitor's Avro decoder hands on: a features map), then computes drift the way the drift
 * monitor does: the reference profile from the ProfileBuilder, one WindowPartial per window fed event by
 * event, and evaluateWindow at close with the service's default settings (every test row of every column,
 * the chooser's decisive test, the correction). Prints one JSON line: timings and the statistics.
 *
 *   npx tsx bench/peers/ours.ts FILE [--multivariate]
 *
 * Without --multivariate the profile's multivariate part (PCA reconstruction) is left out of the windows, as
 * the peers compute univariate drift only; the profile build still fits it, as the service's does.
 */
import { readFileSync } from 'node:fs';
import { loadSettings } from '../../services/core/src/config/load.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { ProfileBuilder } from '../../services/drift-monitor/src/profile-builder.ts';
import type { ReferenceProfile } from '../../services/drift-monitor/src/profile.ts';
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { evaluateWindow, type WindowEvaluation } from '../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../services/drift-monitor/src/window-partials.ts';

type Event = Pick<InferenceEvent, 'features' | 'prediction'>;

const cpuSeconds = (since?: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
};

/** The CSV's lines by window (0 = reference), and which feature columns are numeric. */
interface Table {
  names: string[];
  numeric: boolean[];
  chunks: string[][];
}

function readTable(file: string): Table {
  const lines = readFileSync(file, 'latin1').split('\n');
  const names = (lines[0] as string).split(',').slice(1);
  // A column is numeric when its first value parses as a number (the data has no missing values).
  const first = (lines[1] as string).split(',');
  const numeric = names.map((_, i) => !Number.isNaN(Number(first[i + 1])));
  const chunks: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    (chunks[Number(line.slice(0, line.indexOf(',')))] ??= []).push(line);
  }
  return { names, numeric, chunks };
}

/**
 * One chunk's rows as inference events whose features are the row's cells: the objects the service's Avro
 * decoder hands the drift monitor. Built a chunk at a time, as the service decodes a batch at a time: a
 * million live event objects would make the garbage collector, not the statistics, the cost.
 */
function eventsOf(table: Table, lines: string[]): Event[] {
  const { names, numeric } = table;
  return lines.map((line) => {
    const cells = line.split(',');
    const features: Event['features'] = {};
    for (let i = 0; i < names.length; i++) {
      const cell = cells[i + 1] as string;
      features[names[i] as string] = numeric[i] ? Number(cell) : cell;
    }
    return { features, prediction: {} };
  });
}

function buildProfile(reference: Event[]): ReferenceProfile {
  const builder = new ProfileBuilder();
  for (const e of reference) builder.add(e);
  return builder.build({ modelId: 'bench', modelVersion: 'v1', source: 'bench', createdAt: 0 }).profile;
}

/** Each column's rows as {method: [statistic, p-value]}, with the decisive test's name. */
function statistics(evaluation: WindowEvaluation) {
  return Object.fromEntries(
    evaluation.columns.map((c) => [
      c.name,
      {
        decisive: c.decisive?.method ?? null,
        drifted: c.decisive?.drifted ?? null,
        rows: Object.fromEntries(c.rows.map((r) => [r.method, [r.statistic, r.pValue]])),
      },
    ]),
  );
}

function main(): void {
  const started = Date.now();
  const [file, flag] = process.argv.slice(2);
  if (!file) throw new Error('usage: ours.ts FILE [--multivariate]');
  const s = loadSettings(DRIFT_SETTINGS, {});
  const config = { ...s, thresholds: s.thresholds, featureTests: s.featureTests };

  const load = { cpu: 0, wall: 0 };
  const compute = { cpu: 0, wall: 0 };
  /** Runs `f`, adding its CPU and wall seconds to `into`. */
  const timed = <T>(into: { cpu: number; wall: number }, f: () => T): T => {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const out = f();
    into.cpu += cpuSeconds(cpu);
    into.wall += (performance.now() - wall) / 1e3;
    return out;
  };
  const table = timed(load, () => readTable(file));
  const [referenceLines = [], ...windowLines] = table.chunks;
  const reference = timed(load, () => eventsOf(table, referenceLines));
  const built = timed(compute, () => buildProfile(reference));
  const profile = flag === '--multivariate' ? built : { ...built, multivariate: undefined };
  const evaluations = windowLines.map((lines) => {
    const events = timed(load, () => eventsOf(table, lines));
    return timed(compute, () => {
      const partial = new WindowPartial(profile, s.largeWindow);
      for (const e of events) partial.update(e);
      return evaluateWindow(profile, partial, config);
    });
  });

  const result = {
    side: 'ours',
    rows: { reference: reference.length, windows: windowLines.map((w) => w.length) },
    load,
    compute,
    process: { cpu: cpuSeconds(), sinceMain: (Date.now() - started) / 1e3 },
    windows: evaluations.map((e) => ({ drifted: e.dataset.driftedFeatures, columns: statistics(e) })),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main();

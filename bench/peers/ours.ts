/**
 * Our side of the peer benchmark, one process: reads the CSV, turns each row into an inference event (the
 * object the drift monitor's Avro decoder hands on: a features map), then computes drift the way the drift
 * monitor does: the reference profile from the ProfileBuilder, one WindowPartial per window fed a batch
 * of events at a time (as the service's processor feeds a window its events of a fetched batch), and evaluateWindow at close with the service's default settings (every test row of every column,
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
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { evaluateWindow, type WindowEvaluation } from '../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../services/drift-monitor/src/window-partials.ts';

type Event = Pick<InferenceEvent, 'features' | 'prediction'>;

const cpuSeconds = (since?: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
};

/** The CSV's bytes, each window's byte range (0 = reference), and which feature columns are numeric. */
interface Table {
  bytes: Buffer;
  names: string[];
  numeric: boolean[];
  chunks: { start: number; end: number }[];
  readRow: RowReader;
}

const NEWLINE = 10;
const COMMA = 44;

function readTable(file: string): Table {
  const bytes = readFileSync(file);
  const headerEnd = bytes.indexOf(NEWLINE);
  const names = bytes.toString('latin1', 0, headerEnd).split(',').slice(1);
  // A column is numeric when its first value parses as a number (the data has no missing values).
  const first = bytes.toString('latin1', headerEnd + 1, bytes.indexOf(NEWLINE, headerEnd + 1)).split(',');
  const numeric = names.map((_, i) => !Number.isNaN(Number(first[i + 1])));
  // Rows are grouped by window: a window's range ends where the next window's first row starts.
  const chunks: { start: number; end: number }[] = [];
  for (let at = headerEnd + 1; at < bytes.length;) {
    const lineEnd = bytes.indexOf(NEWLINE, at);
    const end = lineEnd < 0 ? bytes.length : lineEnd;
    // The window number's digits, read in place (the rows' first cell).
    let window = 0;
    for (let i = at; bytes[i] !== COMMA; i++) window = window * 10 + (bytes[i] as number) - 48;
    chunks[window] ??= { start: at, end };
    (chunks[window] as { end: number }).end = end;
    at = end + 1;
  }
  return { bytes, names, numeric, chunks, readRow: rowReader(names, numeric) };
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A decimal such as `-64.0242` read from the bytes: its digits as an integer divided by a power of ten, both
 * exact doubles (at most 15 digits, at most 22 decimals), so the one rounding of the division gives exactly
 * Number(text). Anything else (an exponent, more digits) goes through Number.
 */
function decimalAt(bytes: Buffer, start: number, end: number): number {
  let at = start;
  const negative = bytes[at] === 45;
  if (negative || bytes[at] === 43) at++;
  let digits = 0;
  let mantissa = 0;
  let decimals = -1;
  for (; at < end; at++) {
    const b = bytes[at] as number;
    if (b === 46 && decimals < 0) decimals = 0;
    else if (b >= 48 && b <= 57 && digits < 15) {
      mantissa = mantissa * 10 + (b - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else return Number(bytes.toString('latin1', start, end));
  }
  if (digits === 0) return Number(bytes.toString('latin1', start, end));
  const value = decimals > 0 ? mantissa / (POWERS_OF_TEN[decimals] as number) : mantissa;
  return negative ? -value : value;
}

/** Events per batch: what a drift monitor decodes from one Kafka fetch before updating its windows. */
const BATCH = 1000;

/**
 * Up to BATCH rows from byte `from` of a window as inference events whose features are the row's cells: the
 * objects the service's Avro decoder hands the drift monitor. Read a batch at a time, as the service does:
 * a window's 100,000 live event objects at once would make the garbage collector, not the statistics, the cost.
 * Returns the events and where the next batch starts.
 */
function batchOf(table: Table, from: number, end: number): { events: Event[]; next: number } {
  const { bytes, readRow } = table;
  const events: Event[] = [];
  const cursor = { at: from };
  while (cursor.at < end && events.length < BATCH) {
    // Past the row's first cell (its window number) to the features.
    while (bytes[cursor.at] !== COMMA) cursor.at++;
    cursor.at++;
    events.push({ features: readRow(bytes, cursor, end), prediction: {} });
  }
  return { events, next: cursor.at };
}

/** Reads one row's feature cells from `cursor.at` (left past the row's newline). */
type RowReader = (bytes: Buffer, cursor: { at: number }, end: number) => Event['features'];

/**
 * A row reader made for the file's columns: one named store per column, as a decoder generated for a
 * schema has (avsc's are), instead of a keyed store per cell, which V8 runs through its generic
 * property-adding path. The objects are the same: plain, the same keys in the same order (so the same hidden
 * class), numbers for numeric columns and strings for the others. Keys are JSON string literals, quoted
 * safely whatever the header holds.
 */
function rowReader(names: readonly string[], numeric: readonly boolean[]): RowReader {
  const cells = names.map((name, i) => {
    const read = numeric[i] ? 'decimalAt' : 'textAt';
    return `e = cellEnd(bytes, c.at, end); f[${JSON.stringify(name)}] = ${read}(bytes, c.at, e); c.at = e + 1;`;
  });
  const body = `return function readRow(bytes, c, end) { const f = {}; let e; ${cells.join(' ')} return f; };`;
  return new Function('decimalAt', 'textAt', 'cellEnd', body)(decimalAt, textAt, cellEnd) as RowReader;
}

/** Where the cell at `start` ends: its comma, the row's newline, or `end`. */
function cellEnd(bytes: Buffer, start: number, end: number): number {
  let at = start;
  for (let b = bytes[at]; b !== COMMA && b !== NEWLINE && at < end; b = bytes[++at]);
  return at;
}

/**
 * A cell's text: short ones (the categories) built from their character codes, about twice as fast as
 * Buffer#toString for a few bytes; the same string either way (one byte per character).
 */
function textAt(bytes: Buffer, start: number, end: number): string {
  if (end - start > 16) return bytes.toString('latin1', start, end);
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
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
  /** Feeds one window's events, batch by batch, to `use`: reading timed as load, `use` as compute. */
  const feed = (chunk: { start: number; end: number }, use: (events: Event[]) => void): number => {
    let count = 0;
    for (let at = chunk.start; at < chunk.end;) {
      const batch = timed(load, () => batchOf(table, at, chunk.end));
      timed(compute, () => use(batch.events));
      count += batch.events.length;
      at = batch.next;
    }
    return count;
  };
  const [referenceChunk = { start: 0, end: 0 }, ...windowChunks] = table.chunks;
  const builder = new ProfileBuilder();
  const referenceEvents = feed(referenceChunk, (events) => {
    for (const e of events) builder.add(e);
  });
  const built = timed(compute, () =>
    builder.build({ modelId: 'bench', modelVersion: 'v1', source: 'bench', createdAt: 0 }),
  ).profile;
  const profile = flag === '--multivariate' ? built : { ...built, multivariate: undefined };
  const windowEvents: number[] = [];
  const evaluations = windowChunks.map((chunk) => {
    const partial = timed(compute, () => new WindowPartial(profile, s.largeWindow));
    windowEvents.push(feed(chunk, (events) => partial.updateMany(events)));
    return timed(compute, () => evaluateWindow(profile, partial, config));
  });

  const result = {
    side: 'ours',
    rows: { reference: referenceEvents, windows: windowEvents },
    load,
    compute,
    process: { cpu: cpuSeconds(), sinceMain: (Date.now() - started) / 1e3 },
    windows: evaluations.map((e) => ({ drifted: e.dataset.driftedFeatures, columns: statistics(e) })),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main();

import { durationMs } from '../../core/src/windows/duration.ts';
import type { PerformanceRow } from './rows.ts';

/** One window of one version, every headline figure side by side (the terminal table's row). */
export interface PerformanceWindow {
  version: string;
  startMs: number;
  endMs: number;
  samples: number;
  final: boolean;
  values: Record<string, number>;
}

export interface MetricPoint {
  startMs: number;
  endMs: number;
  value: number;
}

/** One line of a chart: a metric of a version over the windows. */
export interface MetricSeries {
  metric: string;
  version: string;
  points: MetricPoint[];
}

export interface PerformanceSection {
  /** The tumbling window size shown; null without performance rows. */
  windowSize: string | null;
  /** Every window size found, smallest first. */
  windowSizes: string[];
  /** Headline metrics shown, in display order. */
  metrics: string[];
  series: MetricSeries[];
  windows: PerformanceWindow[];
}

/** Figures a reader looks for first, classifier then regressor; others only when none of these exist. */
export const HEADLINE_METRICS = ['accuracy', 'f1_macro', 'roc_auc', 'log_loss', 'mae', 'rmse', 'r2'];
const MAX_METRICS = 4;
/** The smallest window size with at most this many windows per version is shown. */
export const MAX_WINDOWS = 200;

/** '5m' → 300000; NaN for a size that is not a duration with its unit (e.g. `last_1000`). */
export function windowSizeMs(size: string): number {
  return durationMs(size, { unit: 'required' }) ?? NaN;
}

/**
 * The window size to show: the finest one whose busiest version has at most MAX_WINDOWS windows, else the
 * coarsest. Fine windows show changes sooner; too many turn the chart into noise.
 */
export function chooseWindowSize(rows: PerformanceRow[]): { chosen: string | null; sizes: string[] } {
  const windows = new Map<string, Map<string, Set<number>>>();
  for (const r of rows) {
    const byVersion = windows.get(r.windowSize) ?? new Map<string, Set<number>>();
    windows.set(r.windowSize, byVersion);
    const starts = byVersion.get(r.version) ?? new Set<number>();
    byVersion.set(r.version, starts);
    starts.add(r.startMs);
  }
  const sizes = [...windows.keys()].sort(
    (a, b) => (windowSizeMs(a) || Infinity) - (windowSizeMs(b) || Infinity) || a.localeCompare(b),
  );
  const busiest = (size: string) => Math.max(...[...windows.get(size)!.values()].map((s) => s.size));
  const chosen = sizes.find((s) => busiest(s) <= MAX_WINDOWS) ?? sizes.at(-1) ?? null;
  return { chosen, sizes };
}

function headlineMetrics(rows: PerformanceRow[]): string[] {
  const present = new Set(rows.map((r) => r.metric));
  const known = HEADLINE_METRICS.filter((m) => present.has(m));
  return (known.length > 0 ? known : [...present].sort()).slice(0, MAX_METRICS);
}

/** Rows of the performance_metrics table → the windows and chart series of the report. Pure. */
export function performanceSection(rows: PerformanceRow[]): PerformanceSection {
  const { chosen, sizes } = chooseWindowSize(rows);
  const shown = rows.filter((r) => r.windowSize === chosen && Number.isFinite(r.value));
  const metrics = headlineMetrics(shown);
  const windows = new Map<string, PerformanceWindow>();
  for (const r of shown) {
    if (!metrics.includes(r.metric)) continue;
    const key = `${r.version}\u0000${r.startMs}`;
    const w = windows.get(key) ?? {
      version: r.version,
      startMs: r.startMs,
      endMs: r.endMs,
      samples: 0,
      final: true,
      values: {},
    };
    windows.set(key, w);
    w.values[r.metric] = r.value;
    // log_loss counts only the scored samples: the window's size is its largest count.
    w.samples = Math.max(w.samples, r.samples);
    w.final &&= r.final;
  }
  const ordered = [...windows.values()].sort(
    (a, b) => a.startMs - b.startMs || a.version.localeCompare(b.version),
  );
  const versions = [...new Set(ordered.map((w) => w.version))].sort();
  const series = metrics.flatMap((metric) =>
    versions.map((version) => ({
      metric,
      version,
      points: ordered
        .filter((w) => w.version === version && w.values[metric] !== undefined)
        .map((w) => ({ startMs: w.startMs, endMs: w.endMs, value: w.values[metric]! })),
    })),
  );
  return { windowSize: chosen, windowSizes: sizes, metrics, series, windows: ordered };
}

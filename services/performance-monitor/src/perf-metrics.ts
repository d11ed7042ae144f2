import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The performance monitor's own metrics, next to the ones every service has. Names live here. */
export interface PerformanceMetrics {
  records: Counter<'outcome'>;
  lateDropped: Counter;
  unmatchedCorrections: Counter;
  windowsEmitted: Counter<'final'>;
  openWindows: Gauge<'partition'>;
  restoreSeconds: Histogram;
  changelogBytes: Counter;
  transactions: Counter<'result'>;
}

export function createPerformanceMetrics(registry: Registry): PerformanceMetrics {
  const registers = [registry];
  return {
    records: new Counter({
      name: 'driftline_perf_records_total',
      help: 'Joined predictions by outcome: accepted, corrected (label correction applied), late (dropped), correction (skipped: no previous-label header), invalid (dead-lettered).',
      labelNames: ['outcome'],
      registers,
    }),
    lateDropped: new Counter({
      name: 'driftline_perf_late_dropped_total',
      help: 'Labeled predictions older than the stream time minus the allowed lateness: in no window.',
      registers,
    }),
    unmatchedCorrections: new Counter({
      name: 'driftline_perf_corrections_unmatched_total',
      help: 'Label corrections whose earlier pair was not in its window or bucket (e.g. an earlier correction was skipped): the new label was added, nothing taken out.',
      registers,
    }),
    windowsEmitted: new Counter({
      name: 'driftline_perf_windows_emitted_total',
      help: 'Window emissions written to performance_metrics (final="1" when the window closed).',
      labelNames: ['final'],
      registers,
    }),
    openWindows: new Gauge({
      name: 'driftline_perf_open_windows',
      help: 'Tumbling windows held in memory, by source partition.',
      labelNames: ['partition'],
      registers,
    }),
    restoreSeconds: new Histogram({
      name: 'driftline_perf_restore_duration_seconds',
      help: 'Time to rebuild window state from the changelog after an assignment.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    changelogBytes: new Counter({
      name: 'driftline_perf_changelog_bytes_total',
      help: 'Bytes of window state written to the changelog topic (before compression).',
      registers,
    }),
    transactions: new Counter({
      name: 'driftline_perf_transactions_total',
      help: 'Kafka transactions (changelog + offsets) by result.',
      labelNames: ['result'],
      registers,
    }),
  };
}

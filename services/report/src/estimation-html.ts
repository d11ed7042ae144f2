import { featureLabel } from './drift-model.ts';
import type { EstimationSection } from './estimation-model.ts';
import { ESTIMATED_METRICS } from './estimation-model.ts';
import { escapeHtml as e, formatCount, formatTime, formatValue } from './format.ts';

/** The page's table renderer: cells are escaped HTML; `numeric` columns align right. */
type Table = (headers: string[], rows: string[][], numeric?: number[]) => string;

const signed = (v: number | null) => (v === null ? '' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`);

/**
 * The estimation part of the HTML page: each window's estimate (made before its labels) beside the realized
 * figure, newest first, and per version the features whose drift moves with the estimated accuracy. Pure.
 */
export function estimationHtml(s: EstimationSection, table: Table): string {
  const rows = [...s.windows]
    .reverse()
    .map((w) => [
      e(formatTime(w.startMs)),
      e(w.version),
      e(formatValue(w.estimates.accuracy)),
      e(w.accuracyBand ? `${formatValue(w.accuracyBand[0])}–${formatValue(w.accuracyBand[1])}` : ''),
      e(w.realizedAccuracy === null ? 'labels pending' : formatValue(w.realizedAccuracy)),
      e(signed(w.error)),
      ...ESTIMATED_METRICS.slice(1).map((m) => e(formatValue(w.estimates[m]))),
      e(formatCount(w.samples)),
      e(w.status),
    ]);
  const windows = table(
    [
      'window start',
      'version',
      'est. accuracy',
      '95% band',
      'realized',
      'error',
      ...ESTIMATED_METRICS.slice(1).map((m) => `est. ${m}`),
      'samples',
      'status',
    ],
    rows,
    [2, 4, 5, 6, 7, 8],
  );
  const rankings = s.rankings.map((r) => {
    const ranked = r.features.map((f) => [
      e(String(f.rank)),
      e(featureLabel(f.feature)),
      e(formatValue(f.correlation)),
      e(formatValue(f.pValue)),
      e(String(f.windows)),
      e(f.hasDrifted ? 'yes' : 'no'),
    ]);
    return (
      `<h3>${e(r.version)}: features whose drift moves with the estimated accuracy ` +
      `(change from ${e(formatValue(r.reference))})</h3>` +
      table(['rank', 'feature', 'Pearson r', 'p-value', 'windows', 'drifted'], ranked, [0, 2, 3, 4])
    );
  });
  return `<p class="notes">Per ${e(s.windowSize ?? '')} window: the estimate is stored as the window closes, from calibrated scores alone; the realized figure follows once its labels are final.</p>${windows}${rankings.join('')}`;
}

import type { EstimationSection } from './estimation-model.ts';
import { ESTIMATED_METRICS } from './estimation-model.ts';
import { featureLabel } from './drift-model.ts';
import { formatCount, formatTime, formatValue } from './format.ts';
import { renderTextTable } from './text-table.ts';

/** Features listed per version at most. */
const RANKED_SHOWN = 5;

const signed = (v: number | null) => (v === null ? '' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`);

/** Estimated beside realized, per window: the estimate is there as soon as the window closes, the realized
 * figure once its labels are final. */
function estimates(e: EstimationSection, limit: number): string {
  const title = `Estimated performance before labels (CBPE) beside realized, per ${e.windowSize} window`;
  const omitted = Math.max(0, e.windows.length - limit);
  const shown = e.windows.slice(omitted);
  const table = renderTextTable(
    [
      { header: 'window start' },
      { header: 'version' },
      { header: 'est. accuracy', align: 'right' },
      { header: '95% band' },
      { header: 'realized', align: 'right' },
      { header: 'error', align: 'right' },
      ...ESTIMATED_METRICS.slice(1).map((m) => ({ header: `est. ${m}`, align: 'right' as const })),
      { header: 'samples', align: 'right' },
      { header: 'status' },
    ],
    shown.map((w) => [
      formatTime(w.startMs),
      w.version,
      formatValue(w.estimates.accuracy),
      w.accuracyBand ? `${formatValue(w.accuracyBand[0])}-${formatValue(w.accuracyBand[1])}` : '',
      w.realizedAccuracy === null ? '(labels pending)' : formatValue(w.realizedAccuracy),
      signed(w.error),
      ...ESTIMATED_METRICS.slice(1).map((m) => formatValue(w.estimates[m])),
      formatCount(w.samples),
      w.status,
    ]),
  );
  return `${title}\n${omitted > 0 ? `(${omitted} older rows not shown)\n` : ''}${table}`;
}

/** NannyML's correlation ranker: the features whose drift moves with the estimated accuracy. */
function rankings(e: EstimationSection): string {
  const title = 'Features whose drift moves with the estimated accuracy (Pearson r over windows)';
  if (e.rankings.length === 0) return `${title}\n(fewer than 3 windows with both drift and estimates)`;
  const lines = e.rankings.map((r) => {
    const top = r.features.slice(0, RANKED_SHOWN).map((f) => {
      const p = Number.isNaN(f.pValue) ? 'n/a' : f.pValue < 0.001 ? '<0.001' : f.pValue.toFixed(3);
      return `  ${f.rank}. ${featureLabel(f.feature)}: r ${formatValue(f.correlation)} (p ${p}, ${f.windows} windows${f.hasDrifted ? ', drifted' : ''})`;
    });
    return [
      `${r.version} (change from the calibration data's accuracy ${formatValue(r.reference)}):`,
      ...top,
    ].join('\n');
  });
  return [title, ...lines].join('\n');
}

/** The estimation sections of the terminal report. Pure. */
export function estimationText(e: EstimationSection, limit: number): string[] {
  return [estimates(e, limit), rankings(e)];
}

/**
 * The drift monitor's window evaluation, in-process: one mergeable partial per model version and event-time
 * window (services/drift-monitor/src/window-partials.ts), closed once the stream time passed its end plus the
 * grace, evaluated by the service's own evaluateWindow and turned into drift_metrics rows by its windowRows;
 * then read into the alerter's DriftWindow the way services/alerter/src/drift-inputs.ts reads those rows.
 */
import type { DriftWindow, FeatureResult } from '../../services/alerter/src/window.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import type { ReferenceProfile } from '../../services/drift-monitor/src/profile.ts';
import { versionKey } from '../../services/drift-monitor/src/profile.ts';
import { DATASET_FEATURE, windowRows, type DriftMetricRow } from '../../services/drift-monitor/src/rows.ts';
import { evaluateWindow, type DriftTestConfig } from '../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../services/drift-monitor/src/window-partials.ts';

interface OpenDriftWindow {
  modelId: string;
  modelVersion: string;
  startMs: number;
  partial: WindowPartial;
}

const PREDICTION = '__prediction__';

/** A decisive drift_metrics row as the alerter's FeatureResult. */
function featureResult(r: DriftMetricRow): FeatureResult {
  return {
    feature: r.feature,
    method: r.method,
    statistic: r.statistic,
    pValue: r.p_value,
    threshold: r.threshold,
    drifted: r.drifted === 1,
  };
}

/** The rows of one closed window as the alerter reads them (same filters as drift-inputs.ts's addRow). */
export function driftWindowOf(rows: readonly DriftMetricRow[]): DriftWindow {
  const first = rows[0]!;
  const w: DriftWindow = {
    source: 'drift',
    modelId: first.model_id,
    modelVersion: first.model_version,
    startMs: first.window_start * 1000,
    endMs: first.window_end * 1000,
    features: [],
    share: null,
    prediction: null,
    missing: [],
    detections: [],
    latency: {},
    deadLetter: null,
  };
  for (const r of rows) {
    if (r.feature === DATASET_FEATURE) w.share = r.statistic;
    else if (r.method === 'missing_rate' && !r.feature.startsWith('__')) {
      const reference = (JSON.parse(r.detail) as { reference_rate?: number }).reference_rate ?? 0;
      w.missing.push({ feature: r.feature, rate: r.statistic, referenceRate: reference });
    } else if (r.decisive !== 1) continue;
    else if (r.feature === PREDICTION) w.prediction = featureResult(r);
    else if (!r.feature.startsWith('__')) w.features.push(featureResult(r));
  }
  return w;
}

export class DriftStage {
  private readonly open = new Map<string, OpenDriftWindow>();
  private streamTimeMs = -Infinity;

  constructor(
    private readonly profiles: ReadonlyMap<string, ReferenceProfile>,
    private readonly config: DriftTestConfig,
    private readonly windowMs: number,
    private readonly graceMs: number,
  ) {}

  add(e: InferenceEvent): void {
    const startMs = e.timestamp - (e.timestamp % this.windowMs);
    const key = `${versionKey(e.model_id, e.model_version)}\u0000${startMs}`;
    let w = this.open.get(key);
    if (!w) {
      const profile = this.profiles.get(versionKey(e.model_id, e.model_version));
      if (!profile) return; // a version without a profile is not tested, as in the service
      w = {
        modelId: e.model_id,
        modelVersion: e.model_version,
        startMs,
        partial: new WindowPartial(profile),
      };
      this.open.set(key, w);
    }
    w.partial.update(e);
    if (e.timestamp > this.streamTimeMs) this.streamTimeMs = e.timestamp;
  }

  /** The windows the stream time closed (end + grace <= stream time), or all of them at the end of the run. */
  close(all = false): DriftWindow[] {
    const out: DriftWindow[] = [];
    for (const [key, w] of this.open) {
      const endMs = w.startMs + this.windowMs;
      if (!all && endMs + this.graceMs > this.streamTimeMs) continue;
      this.open.delete(key);
      const profile = w.partial.profile;
      const evaluation = evaluateWindow(profile, w.partial, this.config);
      const toClose = {
        modelId: w.modelId,
        modelVersion: w.modelVersion,
        windowStartMs: w.startMs,
        windowEndMs: endMs,
        partials: [],
        excluded: [],
        profileId: profile.profileId,
        fingerprint: '',
        inputVersion: 0,
      };
      const events = { total: w.partial.events, excluded: 0, mismatched: w.partial.mismatched };
      out.push(driftWindowOf(windowRows(toClose, profile, evaluation, events, endMs)));
    }
    return out;
  }
}

/**
 * One configuration's pipeline, in-process: the performance monitor's processor and the concept-drift
 * detectors, and the alerter's pure evaluate (rules, lifecycle, retrain policy), all built from the settings
 * tables the services read, with the configuration's environment. The drift monitor's closed windows come
 * from a DriftStage (drift-stage.ts) that configurations with the same drift settings share.
 */
import { evaluate } from '../../services/alerter/src/evaluate.ts';
import { parseRules, rulesFor, type Rules } from '../../services/alerter/src/rules/load.ts';
import { newModelState, type ModelState } from '../../services/alerter/src/state.ts';
import { windowOrder, type DriftWindow, type ResultWindow } from '../../services/alerter/src/window.ts';
import { loadConfig, loadSettings } from '../../services/core/src/config/load.ts';
import type { Alert, RetrainTrigger } from '../../services/core/src/records/records.generated.ts';
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { resolveProcessorOptions } from '../../services/performance-monitor/src/options.ts';
import { PERFORMANCE_SETTINGS } from '../../services/performance-monitor/src/settings.ts';
import { ALERT_WINDOW, type VerdictConfig } from './configs.ts';
import { LabelStage } from './label-stage.ts';

/** An event the alerter published, with when (event-time clock of the run) it went out. */
export interface Emitted<T> {
  event: T;
  atMs: number;
}

export class Pipeline {
  readonly alerts: Emitted<Alert>[] = [];
  readonly triggers: Emitted<RetrainTrigger>[] = [];
  /** Labeled predictions the performance monitor dropped as later than the allowed lateness. */
  lateLabels = 0;
  private readonly labels: LabelStage;
  private readonly rules: Rules;
  private readonly states = new Map<string, ModelState>();

  constructor(readonly config: VerdictConfig) {
    const env = config.env;
    const drift = loadSettings(DRIFT_SETTINGS, env);
    const performance = resolveProcessorOptions(loadSettings(PERFORMANCE_SETTINGS, env), loadConfig(env));
    this.labels = new LabelStage(performance, drift.detectors, ALERT_WINDOW, config.confirmDetections);
    this.rules = parseRules(config.rules, config.rulesFile, env);
  }

  addLabels(batch: readonly JoinedPrediction[]): void {
    this.lateLabels += batch.length - this.labels.add(batch);
  }

  /**
   * One poll of the alerter at `nowMs`: the drift windows closed since the last poll, the performance windows
   * that changed, open ones too (the rules' `provisional` section decides whether they are judged), evaluated in
   * the alerter's order.
   */
  poll(nowMs: number, closed: readonly DriftWindow[]): void {
    const drift = closed.map((w) => ({
      ...w,
      detections: this.labels.detectionsBefore(w.modelId, w.modelVersion, w.endMs),
    }));
    const windows: ResultWindow[] = [...drift, ...this.labels.flush()];
    windows.sort(windowOrder);
    for (const w of windows) {
      const state = this.states.get(w.modelId) ?? newModelState(w.modelId);
      const e = evaluate(state, w, rulesFor(this.rules, w.modelId), nowMs);
      this.states.set(w.modelId, e.state);
      for (const a of e.alerts) this.alerts.push({ event: a, atMs: nowMs });
      for (const t of e.triggers) this.triggers.push({ event: t, atMs: nowMs });
    }
  }
}

/**
 * Runs one scenario through every configuration's pipeline on one event-time clock: predictions reach the
 * drift monitor when made, labels reach the performance monitor and the detectors when they arrive (in
 * arrival order, as the joiner emits them), and the alerter polls every few minutes of event time.
 */
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { mulberry32, type Rng } from '../../services/core/src/stats/random.ts';
import type { ReferenceProfile } from '../../services/drift-monitor/src/profile.ts';
import type { VerdictConfig } from './configs.ts';
import { loadSettings } from '../../services/core/src/config/load.ts';
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { DriftStage } from './drift-stage.ts';
import { Pipeline } from './pipeline.ts';
import { TARGET, VERSIONS, WINDOW_MS, type Scenario } from './scenarios.ts';
import { drawWindow, type Draw } from './traffic.ts';

/** The alerter's poll interval in event time: 12 polls per window. */
export const POLL_MS = WINDOW_MS / 12;

/** Where the run's traffic starts: a fixed Monday, so runs are identical. */
export const START_MS = Date.UTC(2026, 0, 5);

/** How much of the change the pipeline had seen when an alert went out: the target version's events since it. */
export interface Exposure {
  predictions: number;
  labels: number;
}

export interface ScenarioRun {
  scenario: Scenario;
  pipelines: Pipeline[];
  /** Exposure at each poll, by poll time: the delay of an alert in events. */
  exposure: Map<number, Exposure>;
}

/** The predictions of every version in window `k` of a scenario, in event-time order. */
export function windowDraws(s: Scenario, k: number): Draw[] {
  const all = VERSIONS.flatMap((v, i) =>
    drawWindow({
      ...v,
      startMs: START_MS + k * WINDOW_MS,
      windowMs: WINDOW_MS,
      events: s.eventsPerWindow,
      changes: v === TARGET && s.change && s.changeFrom !== null && k >= s.changeFrom ? [s.change] : [],
      seed: s.seed * 1_000_003 + k * 101 + i,
    }),
  );
  return all.sort((a, b) => a.inference.timestamp - b.inference.timestamp);
}

/** Sets each prediction's label time: its own time plus a delay drawn from the scenario's range. */
export function drawLabelTimes(s: Scenario, draws: readonly Draw[], delay: Rng): void {
  for (const d of draws) {
    const labeledAt = d.inference.timestamp + s.delay.minMs + delay() * (s.delay.maxMs - s.delay.minMs);
    d.joined.labeled_at = Math.floor(labeledAt);
  }
}

/** Labels pending arrival, by poll index. */
class Arrivals {
  private readonly byPoll = new Map<number, JoinedPrediction[]>();
  size = 0;

  add(j: JoinedPrediction): void {
    const poll = Math.floor((j.labeled_at - START_MS) / POLL_MS);
    const list = this.byPoll.get(poll);
    if (list) list.push(j);
    else this.byPoll.set(poll, [j]);
    this.size += 1;
  }

  take(poll: number): JoinedPrediction[] {
    const list = this.byPoll.get(poll) ?? [];
    this.byPoll.delete(poll);
    this.size -= list.length;
    return list.sort((a, b) => a.labeled_at - b.labeled_at);
  }
}

/** One drift stage per distinct drift configuration, and which pipelines read it. */
function driftStages(pipelines: readonly Pipeline[], profiles: ReadonlyMap<string, ReferenceProfile>) {
  const byKey = new Map<string, { stage: DriftStage; pipelines: Pipeline[] }>();
  for (const p of pipelines) {
    const settings = loadSettings(DRIFT_SETTINGS, p.config.env);
    const key = JSON.stringify(settings, (_, v) => (v instanceof Map ? [...v] : v));
    let group = byKey.get(key);
    if (!group) {
      const stage = new DriftStage(profiles, settings, settings.windowMs, settings.graceMs);
      byKey.set(key, (group = { stage, pipelines: [] }));
    }
    group.pipelines.push(p);
  }
  return [...byKey.values()];
}

export function runScenario(
  s: Scenario,
  configs: readonly VerdictConfig[],
  profiles: ReadonlyMap<string, ReferenceProfile>,
): ScenarioRun {
  const pipelines = configs.map((c) => new Pipeline(c));
  const drift = driftStages(pipelines, profiles);
  const delay = mulberry32(s.seed);
  const arrivals = new Arrivals();
  const exposure = new Map<number, Exposure>();
  const changeMs = s.changeFrom === null ? Infinity : START_MS + s.changeFrom * WINDOW_MS;
  const seen: Exposure = { predictions: 0, labels: 0 };
  const isChanged = (modelId: string, modelVersion: string, predictedAt: number) =>
    modelId === TARGET.modelId && modelVersion === TARGET.modelVersion && predictedAt >= changeMs;
  const pollsPerWindow = WINDOW_MS / POLL_MS;
  let draws: Draw[] = [];
  let next = 0;
  for (let poll = 0; poll < s.windows * pollsPerWindow || arrivals.size > 0; poll++) {
    const k = poll / pollsPerWindow;
    if (Number.isInteger(k) && k < s.windows) {
      draws = windowDraws(s, k);
      next = 0;
      drawLabelTimes(s, draws, delay);
      for (const d of draws) arrivals.add(d.joined);
    }
    const nowMs = START_MS + (poll + 1) * POLL_MS;
    const made = [];
    while (next < draws.length && draws[next]!.inference.timestamp < nowMs)
      made.push(draws[next++]!.inference);
    const labels = arrivals.take(poll);
    for (const e of made) if (isChanged(e.model_id, e.model_version, e.timestamp)) seen.predictions += 1;
    for (const j of labels) if (isChanged(j.model_id, j.model_version, j.predicted_at)) seen.labels += 1;
    const last = poll + 1 >= s.windows * pollsPerWindow && arrivals.size === 0;
    for (const { stage, pipelines: readers } of drift) {
      for (const e of made) stage.add(e);
      const closed = stage.close(last);
      for (const p of readers) {
        p.addLabels(labels);
        p.poll(nowMs, closed);
      }
    }
    exposure.set(nowMs, { ...seen });
  }
  return { scenario: s, pipelines, exposure };
}

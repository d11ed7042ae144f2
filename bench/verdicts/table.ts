/**
 * The benchmark's output: a markdown table, one row per scenario with each configuration side by side, a
 * pooled row, and whether the goals are met. Pure.
 */
import type { ConfigScore, Detection } from './score.ts';
import { VERSIONS, type Scenario } from './scenarios.ts';

export interface ScenarioScores {
  scenario: Scenario;
  scores: ConfigScore[];
}

const count = (n: number) => n.toLocaleString('en');
const per100 = (falseAlerts: number, windows: number) =>
  windows === 0 ? '-' : ((100 * falseAlerts) / windows).toFixed(1);

function delayCell(d: Detection | 'missed' | null): string {
  if (d === null) return '-';
  if (d === 'missed') return '**missed**';
  const unit = d.unit === 'labeled' ? 'labeled' : 'events';
  return `${d.windows} w, ${count(d.events)} ${unit} (${d.kind}${d.provisional ? ', provisional' : ''})`;
}

function falseCell(s: ConfigScore): string {
  return `${per100(s.falseAlerts, s.stationaryWindows)} (${s.falseAlerts})`;
}

/** The label delay, and the share of labels the performance monitor dropped as too late when it matters. */
function delayName(s: Scenario, scores: readonly ConfigScore[]): string {
  const labels = VERSIONS.length * s.windows * s.eventsPerWindow;
  const late = Math.max(...scores.map((c) => c.lateLabels)) / labels;
  return late >= 0.01 ? `${s.delay.name} (${Math.round(100 * late)}% of labels too late)` : s.delay.name;
}

/** Configuration names in column order (every scenario ran the same ones). */
const namesOf = (rows: readonly ScenarioScores[]) => rows[0]?.scores.map((s) => s.config) ?? [];

export function markdownTable(rows: readonly ScenarioScores[]): string {
  const names = namesOf(rows);
  const head = ['scenario', 'events / window', 'label delay'];
  for (const n of names) head.push(`${n}: false alerts / 100 (n)`, `${n}: delay`);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const { scenario: s, scores } of rows) {
    const cells = [s.goal ? `**${s.name}**` : s.name, count(s.eventsPerWindow), delayName(s, scores)];
    for (const c of scores) cells.push(falseCell(c), delayCell(c.detection));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const total = ['all scenarios', '', `${count(pooled(rows, 0).windows)} stationary model-windows`];
  names.forEach((_, i) => {
    const p = pooled(rows, i);
    total.push(`**${per100(p.falseAlerts, p.windows)}** (${p.falseAlerts})`, `${p.missed} missed`);
  });
  lines.push(`| ${total.join(' | ')} |`);
  return lines.join('\n');
}

function pooled(rows: readonly ScenarioScores[], i: number) {
  let windows = 0;
  let falseAlerts = 0;
  let missed = 0;
  let falseTriggers = 0;
  let provisional = 0;
  let withdrawn = 0;
  const byKind: Record<string, number> = {};
  for (const r of rows) {
    const s = r.scores[i]!;
    for (const [kind, n] of Object.entries(s.falseByKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
    provisional += s.provisional;
    withdrawn += s.withdrawn;
    windows += s.stationaryWindows;
    falseAlerts += s.falseAlerts;
    falseTriggers += s.falseTriggers;
    if (s.detection === 'missed') missed += 1;
  }
  return { windows, falseAlerts, missed, falseTriggers, provisional, withdrawn, byKind };
}

/**
 * The goals, per configuration: at most 1 false alert per 100 stationary model-windows over all scenarios,
 * and every goal scenario (shift >= 0.5 sd, accuracy drop >= 10 points, 1,000 events per window) detected
 * within one window.
 */
export function goalLines(rows: readonly ScenarioScores[]): string[] {
  return namesOf(rows).map((name, i) => {
    const p = pooled(rows, i);
    const rate = (100 * p.falseAlerts) / Math.max(1, p.windows);
    const late = rows
      .filter((r) => r.scenario.goal)
      .filter((r) => {
        const d = r.scores[i]!.detection;
        return d === 'missed' || d === null || d.windows > 1;
      })
      .map((r) => `${r.scenario.name} (${r.scenario.delay.name})`);
    const quiet = rate <= 1 ? 'met' : 'NOT met';
    const kinds = Object.entries(p.byKind)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${kind} ${n}`);
    const early = late.length === 0 ? 'met' : `NOT met: ${late.join('; ')}`;
    return (
      `${name}: false alerts ${rate.toFixed(2)} per 100 stationary model-windows (goal <= 1: ${quiet}` +
      `${kinds.length > 0 ? `; ${kinds.join(', ')}` : ''}); ` +
      `goal changes detected within 1 window: ${early}; false retrain triggers: ${p.falseTriggers}; ` +
      `provisional alerts: ${p.provisional}, withdrawn when final: ${p.withdrawn}`
    );
  });
}

import { classifierTraffic, take, type SimulatedPair } from './classifier-traffic.ts';
import { regressorTraffic } from './regressor-traffic.ts';

/** One phase of the demo: a number of one-minute event-time windows with the same behaviour. */
export interface Phase {
  name: string;
  windows: number;
  /** Shift in standard deviations of the first `shiftedFeatures` features of the classifier. */
  shift: number;
  shiftedFeatures: number;
  /** Share of the classifier's predictions that turn out wrong. */
  errorRate: number;
}

/** A phase with its event-time span. */
export interface PhaseSpan {
  phase: Phase;
  fromMs: number;
  toMs: number;
}

export const DEMO_PHASES: Phase[] = [
  { name: 'normal traffic', windows: 6, shift: 0, shiftedFeatures: 0, errorRate: 0.1 },
  {
    name: 'data drift: 6 of 11 features shift by 1.5 sd',
    windows: 5,
    shift: 1.5,
    shiftedFeatures: 6,
    errorRate: 0.1,
  },
  {
    name: 'concept shift: inputs normal again, the model is wrong 40% of the time',
    windows: 5,
    shift: 0,
    shiftedFeatures: 0,
    errorRate: 0.4,
  },
  { name: 'tail: closes the last windows', windows: 2, shift: 0, shiftedFeatures: 0, errorRate: 0.1 },
];

export const WINDOW_MS = 60_000;

/** The demo's models: a classifier with two versions, and a regressor. */
export const DEMO_MODELS = ['churn', 'price'] as const;

export interface DemoTraffic {
  pairs: SimulatedPair[];
  /** Each phase with its event-time span: the demo's truth (demo-truth.ts). */
  spans: PhaseSpan[];
  endMs: number;
}

/**
 * The demo's traffic in event time, starting at `startMs` (aligned to a minute): a classifier with two versions
 * (A/B arms) and a regressor, `perWindow` classifier predictions per minute, through the phases above.
 * Pure and seeded.
 */
export function demoTraffic(startMs: number, perWindow: number, runId: string): DemoTraffic {
  const pairs: SimulatedPair[] = [];
  const spans: PhaseSpan[] = [];
  let t = startMs;
  let seed = 1;
  for (const phase of DEMO_PHASES) {
    spans.push({ phase, fromMs: t, toMs: t + phase.windows * WINDOW_MS });
    const n = phase.windows * perWindow;
    const step = (phase.windows * WINDOW_MS) / n;
    for (const [version, arm, share] of [
      ['v1', 'A', 0.7],
      ['v2', 'B', 0.3],
    ] as const) {
      const count = Math.round(n * share);
      const gen = classifierTraffic({
        modelId: 'churn',
        modelVersion: version,
        startMs: t,
        stepMs: step / share,
        seed: seed++,
        shift: phase.shift,
        shiftedFeatures: phase.shiftedFeatures,
        errorRate: phase.errorRate,
        idPrefix: `${runId}-churn-${version}-${t}`,
        classes: ['stay', 'churn', 'upgrade'],
      });
      for (const p of take(count, gen)) pairs.push(withArm(p, arm));
    }
    pairs.push(
      ...take(
        Math.round(n / 4),
        regressorTraffic({
          modelId: 'price',
          modelVersion: 'v1',
          startMs: t,
          stepMs: step * 4,
          seed: seed++,
          idPrefix: `${runId}-price-${t}`,
        }),
      ),
    );
    t += phase.windows * WINDOW_MS;
  }
  pairs.sort((a, b) => a.inference.timestamp - b.inference.timestamp);
  return { pairs, spans, endMs: t };
}

function withArm(p: SimulatedPair, arm: string): SimulatedPair {
  return { ...p, inference: { ...p.inference, tags: { ...(p.inference.tags ?? {}), arm } } };
}

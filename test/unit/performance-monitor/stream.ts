import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';

/** mulberry32: a reproducible stream of numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface StreamOptions {
  /** Event time of the first prediction. */
  startMs: number;
  /** Event-time step between predictions. @default 1000 */
  stepMs?: number;
  /** Labels arrive up to this much out of event-time order. @default 0 */
  maxDisorderMs?: number;
  classes?: number;
  /** Models: `cls-<k>` classifiers with versions v1/v2 (A/B), and one regressor `reg`. @default 2 */
  classifiers?: number;
  regressor?: boolean;
  seed?: number;
  idPrefix?: string;
}

/**
 * Joined predictions as the label joiner publishes them: classifiers with class scores for `classes`
 * classes, two versions on arms A and B, a region tag, and optionally a regressor. Reproducible.
 */
export function joinedStream(n: number, o: StreamOptions): JoinedPrediction[] {
  const random = seeded(o.seed ?? 1);
  const classes = Array.from({ length: o.classes ?? 10 }, (_, i) => `class-${i}`);
  const models = [
    ...Array.from({ length: o.classifiers ?? 2 }, (_, k) => `cls-${k}`),
    ...(o.regressor ? ['reg'] : []),
  ];
  return Array.from({ length: n }, (_, i) => {
    const at = o.startMs + i * (o.stepMs ?? 1000) - Math.floor(random() * (o.maxDisorderMs ?? 0));
    const model = models[i % models.length]!;
    const v2 = random() < 0.5;
    const base = {
      prediction_id: `${o.idPrefix ?? 'p'}-${i}`,
      model_id: model,
      model_version: v2 ? 'v2' : 'v1',
      predicted_at: at,
      labeled_at: at + 60_000,
      tags: { region: random() < 0.6 ? 'eu' : 'us', arm: v2 ? 'B' : 'A' },
      correction: false,
    };
    if (model === 'reg') {
      const target = Math.round(random() * 100) / 10;
      return {
        ...base,
        label: target,
        predicted_label: null,
        predicted_value: target + (random() - 0.4) * 2,
        scores: null,
      };
    }
    const truth = Math.floor(random() * classes.length);
    const skill = v2 ? 0.8 : 0.7;
    const predicted = random() < skill ? truth : Math.floor(random() * classes.length);
    const raw = classes.map((_, c) => random() + (c === predicted ? 3 : 0));
    const sum = raw.reduce((s, x) => s + x, 0);
    const scores = Object.fromEntries(classes.map((c, k) => [c, (raw[k] ?? 0) / sum]));
    return {
      ...base,
      label: classes[truth]!,
      predicted_label: classes[predicted]!,
      predicted_value: null,
      scores,
    };
  });
}

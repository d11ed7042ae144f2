import type { GroundTruthEvent, InferenceEvent } from '../../core/src/records/records.generated.ts';
import { normal, seededRandom } from './prng.ts';

export interface ClassifierTrafficOptions {
  modelId: string;
  modelVersion: string;
  /** @default 10 */
  numericFeatures?: number;
  classes?: string[];
  /** Shift (in standard deviations) added to the first `shiftedFeatures` features. @default 0 */
  shift?: number;
  /** How many features (x0, x1, ...) the shift applies to. @default 1 */
  shiftedFeatures?: number;
  /** Probability the true label differs from the prediction. @default 0.1 */
  errorRate?: number;
  seed?: number;
  /** Event time of the first event, and the spacing between events. */
  startMs: number;
  stepMs?: number;
  idPrefix?: string;
}

export interface SimulatedPair {
  inference: InferenceEvent;
  truth: GroundTruthEvent;
}

/** Reproducible classifier traffic: each prediction with the label that will later be its ground truth. */
export function* classifierTraffic(o: ClassifierTrafficOptions): Generator<SimulatedPair> {
  const random = seededRandom(o.seed ?? 1);
  const classes = o.classes ?? ['a', 'b', 'c'];
  const nf = o.numericFeatures ?? 10;
  const step = o.stepMs ?? 100;
  for (let i = 0; ; i++) {
    const features: Record<string, number | string | boolean | null> = {};
    for (let f = 0; f < nf; f++)
      features[`x${f}`] = normal(random) + (f < (o.shiftedFeatures ?? 1) ? (o.shift ?? 0) : 0);
    features.plan = random() < 0.7 ? 'basic' : 'pro';
    const predicted = classes[Math.floor(random() * classes.length)]!;
    const wrong = random() < (o.errorRate ?? 0.1);
    const truth = wrong ? classes[(classes.indexOf(predicted) + 1) % classes.length]! : predicted;
    const scores = Object.fromEntries(
      classes.map((c) => [c, c === predicted ? 0.8 : 0.2 / (classes.length - 1)]),
    );
    const id = `${o.idPrefix ?? o.modelId}-${i}`;
    const ts = Math.round(o.startMs + i * step);
    yield {
      inference: {
        prediction_id: id,
        model_id: o.modelId,
        model_version: o.modelVersion,
        timestamp: ts,
        features,
        prediction: { label: predicted, scores, value: null },
        latency_ms: 2 + random() * 8,
        tags: { region: random() < 0.5 ? 'eu' : 'us' },
      },
      truth: {
        prediction_id: id,
        timestamp: ts + 1000 + Math.floor(random() * 60_000),
        label: truth,
        model_id: o.modelId,
      },
    };
  }
}

export function take<T>(n: number, it: Iterator<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

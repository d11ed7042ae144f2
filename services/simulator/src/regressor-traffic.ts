import type { SimulatedPair } from './classifier-traffic.ts';
import { normal, seededRandom } from './prng.ts';

export interface RegressorTrafficOptions {
  modelId: string;
  modelVersion: string;
  startMs: number;
  stepMs?: number;
  /** Standard deviation of the model's error. @default 10 */
  noise?: number;
  /** Added to every prediction: a biased model. @default 0 */
  bias?: number;
  seed?: number;
  idPrefix?: string;
}

/** Reproducible regressor traffic (a price from size and rooms), each prediction with its later true value. */
export function* regressorTraffic(o: RegressorTrafficOptions): Generator<SimulatedPair> {
  const random = seededRandom(o.seed ?? 7);
  const step = o.stepMs ?? 100;
  for (let i = 0; ; i++) {
    const sqm = 40 + 80 * random();
    const rooms = 1 + Math.floor(random() * 5);
    const truth = 3 * sqm + 20 * rooms + normal(random) * 15;
    const predicted = truth + normal(random) * (o.noise ?? 10) + (o.bias ?? 0);
    const id = `${o.idPrefix ?? o.modelId}-${i}`;
    const ts = Math.round(o.startMs + i * step);
    yield {
      inference: {
        prediction_id: id,
        model_id: o.modelId,
        model_version: o.modelVersion,
        timestamp: ts,
        features: { sqm, rooms, city: random() < 0.5 ? 'lyon' : 'paris' },
        prediction: { label: null, scores: null, value: predicted },
        latency_ms: 1 + random() * 4,
        tags: null,
      },
      truth: {
        prediction_id: id,
        timestamp: ts + 2000 + Math.floor(random() * 20_000),
        label: truth,
        model_id: o.modelId,
      },
    };
  }
}

/**
 * Seeded traffic with known truth for the verdict benchmark: a classifier's predictions with ten numeric and
 * two categorical features, and each prediction's true label. Predictions do not depend on the features, so a
 * change of the inputs changes nothing else, and a change of accuracy changes no input: every alert can be
 * graded as true or false.
 */
import type { InferenceEvent, JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { mulberry32, normalGenerator, type Rng } from '../../services/core/src/stats/random.ts';

/** Numeric features x0..x9: different centres and spreads, so a shift "in standard deviations" means something. */
export const NUMERIC = Array.from({ length: 10 }, (_, i) => ({ name: `x${i}`, mean: 10 * i, sd: 1 + i / 4 }));

/** Categorical features and their stationary shares. */
export const CATEGORICAL: Record<string, Record<string, number>> = {
  plan: { basic: 0.6, pro: 0.3, enterprise: 0.1 },
  region: { eu: 0.5, us: 0.35, apac: 0.15 },
};

const CLASSES = ['stay', 'churn', 'upgrade'];
const CLASS_SHARES = { stay: 0.5, churn: 0.3, upgrade: 0.2 };

/** What changes in a model version's traffic from some window on. */
export type Change =
  | { type: 'mean_shift'; feature: string; sd: number }
  | { type: 'variance'; feature: string; factor: number }
  | { type: 'category_shares'; feature: string; shares: Record<string, number> }
  | { type: 'accuracy_drop'; points: number };

/** How one window of a version's traffic is drawn. */
export interface WindowTraffic {
  modelId: string;
  modelVersion: string;
  startMs: number;
  windowMs: number;
  events: number;
  /** Share of predictions whose true label differs. */
  errorRate: number;
  /** Changes in force in this window (none: stationary). */
  changes: readonly Change[];
  seed: number;
}

/** A prediction and its label; `joined.labeled_at` is the prediction time until the run draws a label delay. */
export interface Draw {
  inference: InferenceEvent;
  joined: JoinedPrediction;
}

function pick(shares: Record<string, number>, u: number): string {
  let acc = 0;
  const entries = Object.entries(shares);
  for (const [value, share] of entries) {
    acc += share;
    if (u < acc) return value;
  }
  return entries[entries.length - 1]![0];
}

function numericDraw(f: (typeof NUMERIC)[number], z: number, changes: readonly Change[]): number {
  let mean = f.mean;
  let sd = f.sd;
  for (const c of changes) {
    if (c.type === 'mean_shift' && c.feature === f.name) mean += c.sd * f.sd;
    if (c.type === 'variance' && c.feature === f.name) sd *= c.factor;
  }
  return mean + sd * z;
}

function features(rng: Rng, normal: () => number, changes: readonly Change[]): InferenceEvent['features'] {
  const out: InferenceEvent['features'] = {};
  for (const f of NUMERIC) out[f.name] = numericDraw(f, normal(), changes);
  for (const [name, stationary] of Object.entries(CATEGORICAL)) {
    const changed = changes.find((c) => c.type === 'category_shares' && c.feature === name);
    out[name] = pick(changed?.type === 'category_shares' ? changed.shares : stationary, rng());
  }
  return out;
}

function prediction(rng: Rng, errorRate: number) {
  const predicted = pick(CLASS_SHARES, rng());
  const top = 0.5 + 0.5 * rng();
  const scores = Object.fromEntries(
    CLASSES.map((c) => [c, c === predicted ? top : (1 - top) / (CLASSES.length - 1)]),
  );
  const wrong = rng() < errorRate;
  const others = CLASSES.filter((c) => c !== predicted);
  const label = wrong ? others[Math.floor(rng() * others.length)]! : predicted;
  return { predicted, scores, label };
}

/** The error rate of a window: the version's own plus any accuracy drop in force. */
function errorRateOf(w: WindowTraffic): number {
  const drop = w.changes.reduce((s, c) => s + (c.type === 'accuracy_drop' ? c.points / 100 : 0), 0);
  return Math.min(1, w.errorRate + drop);
}

/**
 * The predictions of one window, in event-time order, evenly spread with jitter. Deterministic: the same
 * window description gives the same events.
 */
export function drawWindow(w: WindowTraffic): Draw[] {
  const rng = mulberry32(w.seed);
  const normal = normalGenerator(rng);
  const step = w.windowMs / w.events;
  const errorRate = errorRateOf(w);
  const out: Draw[] = [];
  for (let i = 0; i < w.events; i++) {
    const ts = Math.floor(w.startMs + (i + rng()) * step);
    const id = `${w.modelId}-${w.modelVersion}-${w.startMs}-${i}`;
    const p = prediction(rng, errorRate);
    out.push({
      inference: {
        prediction_id: id,
        model_id: w.modelId,
        model_version: w.modelVersion,
        timestamp: ts,
        features: features(rng, normal, w.changes),
        prediction: { label: p.predicted, scores: p.scores, value: null },
      },
      joined: {
        prediction_id: id,
        model_id: w.modelId,
        model_version: w.modelVersion,
        predicted_at: ts,
        labeled_at: ts,
        predicted_label: p.predicted,
        scores: p.scores,
        label: p.label,
        correction: false,
      },
    });
  }
  return out;
}

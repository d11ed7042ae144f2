/**
 * Mergeable state of a classifier over a window: confusion counts over a growing list of string
 * labels and, for samples that carry class scores, the sums behind log loss, Brier score, expected
 * calibration error and one-vs-rest ROC AUC. Metrics are read with `classificationMetrics`.
 *
 * Merging is exact for every count (confusion, histograms, calibration counts) and associative and
 * commutative up to float rounding for the three float sums (log loss, Brier, calibration
 * confidence), i.e. within ~1e-15 relative: partial states from partitions, late events and
 * rollups combine to what one pass over all samples gives.
 */
import { CalibrationBins } from './calibration-bins.ts';
import { CLASSIFICATION_DEFAULTS, resolveClassificationOptions } from './classification-options.ts';
import type { ClassificationStateOptions, ResolvedClassificationOptions } from './classification-options.ts';
import { IncompatibleStateError, InvalidScoreError, StateUnderflowError } from './errors.ts';
import { ScoreHistograms } from './score-histograms.ts';
import { parseClassificationState } from './classification-state-json.ts';
import type { ClassificationStateJson } from './classification-state-json.ts';

/** Class label → predicted probability. A class missing from the record has probability 0. */
export type ClassScores = Readonly<Record<string, number>>;

/**
 * Confusion counts plus score sums of one classifier window.
 * @example
 * const state = new ClassificationState();
 * state.update('cat', 'cat', { cat: 0.8, dog: 0.2 });
 * state.update('dog', 'cat', { cat: 0.6, dog: 0.4 });
 * state.count; // 2
 */
export class ClassificationState {
  readonly options: ResolvedClassificationOptions;
  private readonly labelList: string[] = [];
  private readonly indexOf = new Map<string, number>();
  /** Dense row-major confusion counts, `capacity` × `capacity`, grown by doubling. */
  private confusion = new Float64Array(0);
  private capacity = 0;
  private total = 0;
  private scoredTotal = 0;
  private logLoss = 0;
  private brier = 0;
  private readonly calibration: CalibrationBins;
  private readonly histograms: ScoreHistograms;

  /** @throws {InvalidOptionError} when a bin count or epsilon is out of range (not retriable) */
  constructor(options: ClassificationStateOptions = {}) {
    this.options = resolveClassificationOptions(options);
    this.calibration = new CalibrationBins(this.options.calibrationBins);
    this.histograms = new ScoreHistograms(this.options.aucBins);
  }

  /** Labels in order of first appearance (true, predicted or score key). */
  get labels(): readonly string[] {
    return this.labelList;
  }

  /** Number of labeled samples. */
  get count(): number {
    return this.total;
  }

  /** Number of samples whose predicted label equals the true label (the confusion diagonal). */
  get correctCount(): number {
    let correct = 0;
    for (let c = 0; c < this.labelList.length; c++) correct += this.confusionCount(c, c);
    return correct;
  }

  /** Number of samples that carried class scores (the denominator of score-based metrics). */
  get scoredCount(): number {
    return this.scoredTotal;
  }

  /** Σ −ln clip(p_true) over scored samples. */
  get logLossSum(): number {
    return this.logLoss;
  }

  /** Σ over scored samples of Σ_c (p_c − y_c)² (all classes, one-hot y). */
  get brierSum(): number {
    return this.brier;
  }

  /** Calibration bins over the top-class confidence (read-only view). */
  get calibrationBins(): Readonly<CalibrationBins> {
    return this.calibration;
  }

  /** Index of `label` in {@link labels}, or undefined when never seen. */
  indexOfLabel(label: string): number | undefined {
    return this.indexOf.get(label);
  }

  /** Samples with true label index `t` predicted as index `p`. */
  confusionCount(t: number, p: number): number {
    if (t >= this.labelList.length || p >= this.labelList.length) return 0;
    return this.confusion[t * this.capacity + p] ?? 0;
  }

  /** Positive and negative score histograms of the class at `index` (read-only views). */
  scoreHistograms(
    index: number,
  ): { readonly positive: Float64Array; readonly negative: Float64Array } | undefined {
    const positive = this.histograms.positive[index];
    const negative = this.histograms.negative[index];
    return positive === undefined || negative === undefined ? undefined : { positive, negative };
  }

  /**
   * Adds one labeled prediction.
   * @param scores - optional class probabilities in [0, 1]; missing classes count as 0. They are not
   *   renormalized (as sklearn ≥ 1.5, which only warns when rows do not sum to 1).
   * @throws {InvalidScoreError} when a score is not a finite number in [0, 1]; the state is then
   *   unchanged (not retriable)
   */
  update(trueLabel: string, predictedLabel: string, scores?: ClassScores): this {
    const newLabels = scores === undefined ? undefined : this.checkScores(scores);
    const t = this.ensureLabel(trueLabel);
    const p = this.ensureLabel(predictedLabel);
    if (scores !== undefined) {
      if (newLabels !== undefined) for (const label of newLabels) this.ensureLabel(label);
      this.recordScores(t, scores);
    }
    const cell = t * this.capacity + p;
    this.confusion[cell] = (this.confusion[cell] ?? 0) + 1;
    this.total += 1;
    return this;
  }

  /**
   * Removes one unscored sample added earlier by `update(trueLabel, predictedLabel)` (River's
   * `revert`), as the rolling count window needs. Score sums cannot be reverted exactly, so a
   * scored sample cannot be removed this way.
   * @throws {StateUnderflowError} when no such sample is held (not retriable)
   */
  revert(trueLabel: string, predictedLabel: string): this {
    const t = this.indexOf.get(trueLabel);
    const p = this.indexOf.get(predictedLabel);
    const cell = t === undefined || p === undefined ? -1 : t * this.capacity + p;
    const held = cell < 0 ? 0 : (this.confusion[cell] ?? 0);
    if (held <= 0 || this.total - this.scoredTotal <= 0) {
      throw new StateUnderflowError(`unscored sample (${trueLabel} → ${predictedLabel})`);
    }
    this.confusion[cell] = held - 1;
    this.total -= 1;
    return this;
  }

  /**
   * Adds every sample of `other` into this state (`other` is unchanged).
   * @throws {IncompatibleStateError} when the options differ (not retriable)
   */
  merge(other: ClassificationState): this {
    const source = other === this ? other.clone() : other;
    for (const key of Object.keys(CLASSIFICATION_DEFAULTS) as (keyof ResolvedClassificationOptions)[]) {
      if (this.options[key] !== source.options[key]) {
        throw new IncompatibleStateError(key, this.options[key], source.options[key]);
      }
    }
    const known = this.labelList.length;
    const map = source.labelList.map((label) => this.ensureLabel(label));
    const mapped = new Set(map);
    // Classes this state knew that `source` never saw scored 0 in every one of its scored samples.
    for (let c = 0; c < known; c++) {
      if (!mapped.has(c)) this.histograms.addZeroScoreNegatives(c, source.scoredTotal);
    }
    map.forEach((to, from) => {
      this.histograms.mergeClass(to, source.histograms, from);
      map.forEach((toP, fromP) => {
        const n = source.confusionCount(from, fromP);
        if (n !== 0) this.confusion[to * this.capacity + toP] = this.confusionCount(to, toP) + n;
      });
    });
    this.calibration.merge(source.calibration);
    this.total += source.total;
    this.scoredTotal += source.scoredTotal;
    this.logLoss += source.logLoss;
    this.brier += source.brier;
    return this;
  }

  /** An independent copy. */
  clone(): ClassificationState {
    return ClassificationState.fromJSON(this.toJSON());
  }

  toJSON(): ClassificationStateJson {
    const confusion: [number, number, number][] = [];
    const k = this.labelList.length;
    for (let t = 0; t < k; t++) {
      for (let p = 0; p < k; p++) {
        const n = this.confusionCount(t, p);
        if (n !== 0) confusion.push([t, p, n]);
      }
    }
    return {
      version: 1,
      options: { ...this.options },
      labels: [...this.labelList],
      count: this.total,
      confusion,
      scored: {
        count: this.scoredTotal,
        logLossSum: this.logLoss,
        brierSum: this.brier,
        calibration: this.calibration.toJSON(),
        histograms: this.histograms.toJSON(),
      },
    };
  }

  /**
   * Rebuilds a state from {@link toJSON} output.
   * @throws {InvalidStateJsonError} on anything else, naming the offending path (not retriable)
   */
  static fromJSON(value: unknown): ClassificationState {
    const parsed = parseClassificationState(value);
    const state = new ClassificationState(parsed.options);
    for (const label of parsed.labels) state.ensureLabel(label);
    for (const [t, p, n] of parsed.confusion) state.confusion[t * state.capacity + p] = n;
    state.total = parsed.count;
    state.scoredTotal = parsed.scoredCount;
    state.logLoss = parsed.logLossSum;
    state.brier = parsed.brierSum;
    state.calibration.merge(parsed.calibration);
    parsed.histograms.positive.forEach((_, c) => state.histograms.mergeClass(c, parsed.histograms, c));
    // ensureLabel back-filled zero negatives with scoredTotal 0, so nothing to undo.
    return state;
  }

  private ensureLabel(label: string): number {
    const existing = this.indexOf.get(label);
    if (existing !== undefined) return existing;
    const index = this.labelList.length;
    if (index >= this.capacity) this.grow(Math.max(4, this.capacity * 2));
    this.labelList.push(label);
    this.indexOf.set(label, index);
    this.histograms.addClass(this.scoredTotal);
    return index;
  }

  private grow(capacity: number): void {
    const next = new Float64Array(capacity * capacity);
    for (let t = 0; t < this.labelList.length; t++) {
      next.set(
        this.confusion.subarray(t * this.capacity, t * this.capacity + this.labelList.length),
        t * capacity,
      );
    }
    this.confusion = next;
    this.capacity = capacity;
  }

  /**
   * Validates every score before anything changes, and returns the score keys not yet known
   * (one pass, since this runs for every event).
   */
  private checkScores(scores: ClassScores): string[] | undefined {
    let unknown: string[] | undefined;
    for (const label in scores) {
      const p = scores[label];
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new InvalidScoreError(label, p);
      if (!this.indexOf.has(label)) (unknown ??= []).push(label);
    }
    return unknown;
  }

  /** One pass over all classes: Brier term, AUC histograms and the top class for ECE. */
  private recordScores(t: number, scores: ClassScores): void {
    const labels = this.labelList;
    let brier = 0;
    let top = 0;
    let topScore = -1;
    for (let c = 0; c < labels.length; c++) {
      const label = labels[c] ?? '';
      const p = scores[label] ?? 0;
      const isTrue = c === t;
      const diff = isTrue ? p - 1 : p;
      brier += diff * diff;
      this.histograms.record(c, p, isTrue);
      // Ties go to the smallest label, as numpy's argmax over sklearn's sorted class columns.
      if (p > topScore || (p === topScore && label < (labels[top] ?? ''))) {
        top = c;
        topScore = p;
      }
    }
    const eps = this.options.logLossEpsilon;
    const pTrue = Math.min(Math.max(scores[labels[t] ?? ''] ?? 0, eps), 1 - eps);
    this.logLoss -= Math.log(pTrue);
    this.brier += brier;
    this.calibration.update(topScore, top === t);
    this.scoredTotal += 1;
  }
}

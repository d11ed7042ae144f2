/**
 * Mergeable state of a classifier over a window: confusion counts over a growing list of string
 * labels and, for samples that carry class scores, the sums behind log loss, Brier score, expected
 * calibration error and one-vs-rest ROC AUC. Metrics are read with `classificationMetrics`.
 *
 * Merging is exact for every count (confusion, histograms, calibration counts) and associative and
 * commutative up to float rounding for the three float sums (log loss, Brier, calibration
 * confidence), i.e. within ~1e-15 relative: partial states from partitions, late events and
 * rollups combine to what one pass over all samples gives.
 *
 * Every sample enters linearly (weight +1), so a sample can also be taken out again (`retract`,
 * weight −1; `subtract` for a whole state): counts come back exactly, float sums up to rounding,
 * and sums of a state left with no scored sample are exactly 0. For that the state counts, per
 * label, the held samples that carry it (true, predicted or score key): labels no held sample
 * carries stay in {@link labels} but not in {@link activeLabels}, which is what the metrics use.
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
  /** Per label index: held samples carrying the label as true, predicted or score key. */
  private readonly labelSamples: number[] = [];
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

  /**
   * Labels that some held sample carries, in {@link labels} order: the classes the metrics count (as
   * the labels of a recomputation over the held samples would be). Equal to {@link labels} until a
   * sample is retracted.
   */
  get activeLabels(): readonly string[] {
    return this.labelList.filter((_, c) => (this.labelSamples[c] ?? 0) > 0);
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
    return this.apply(trueLabel, predictedLabel, scores, 1);
  }

  /**
   * Takes out one sample added earlier by `update` with the same arguments (weight −1): afterwards
   * the state equals, up to float rounding of the sums, one that never saw it.
   * @throws {StateUnderflowError} when no such sample can be held (not retriable); the state is then unchanged
   * @throws {InvalidScoreError} when a score is not a finite number in [0, 1] (not retriable)
   */
  retract(trueLabel: string, predictedLabel: string, scores?: ClassScores): this {
    if (scores !== undefined) this.checkScores(scores);
    const t = this.indexOf.get(trueLabel);
    const p = this.indexOf.get(predictedLabel);
    const cell = t === undefined || p === undefined ? 0 : this.confusionCount(t, p);
    const scored = scores === undefined || this.scoredTotal > 0;
    const carried = scores === undefined || Object.keys(scores).every((l) => this.labelSampleCount(l) > 0);
    if (cell <= 0 || !scored || !carried) {
      throw new StateUnderflowError(`sample (${trueLabel} → ${predictedLabel}${scores ? ', scored' : ''})`);
    }
    return this.apply(trueLabel, predictedLabel, scores, -1);
  }

  /**
   * Removes one unscored sample added earlier by `update(trueLabel, predictedLabel)` (River's
   * `revert`), as the rolling count window needs; unlike {@link retract} it refuses when every held
   * sample is scored.
   * @throws {StateUnderflowError} when no such sample is held (not retriable)
   */
  revert(trueLabel: string, predictedLabel: string): this {
    const t = this.indexOf.get(trueLabel);
    const p = this.indexOf.get(predictedLabel);
    const held = t === undefined || p === undefined ? 0 : this.confusionCount(t, p);
    if (held <= 0 || this.total - this.scoredTotal <= 0) {
      throw new StateUnderflowError(`unscored sample (${trueLabel} → ${predictedLabel})`);
    }
    return this.apply(trueLabel, predictedLabel, undefined, -1);
  }

  /**
   * Adds every sample of `other` into this state (`other` is unchanged).
   * @throws {IncompatibleStateError} when the options differ (not retriable)
   */
  merge(other: ClassificationState): this {
    return this.combine(other, 1);
  }

  /**
   * Takes every sample of `other` out of this state, which must hold them all (e.g. `other` was
   * merged in before): the inverse of {@link merge}, exact for counts, up to rounding for sums.
   * @throws {IncompatibleStateError} when the options differ (not retriable)
   * @throws {StateUnderflowError} when this state cannot hold every sample of `other`; it is then unchanged
   */
  subtract(other: ClassificationState): this {
    if (!this.holds(other)) throw new StateUnderflowError(`a state of ${other.total} samples`);
    return this.combine(other, -1);
  }

  /**
   * Whether this state can hold every sample of `other`: at least its counts in every confusion cell,
   * of scored samples and of samples carrying each label ({@link subtract} succeeds exactly then).
   */
  holds(other: ClassificationState): boolean {
    return (
      other.total <= this.total &&
      other.scoredTotal <= this.scoredTotal &&
      other.labelList.every((label, from) => {
        if ((other.labelSamples[from] ?? 0) > this.labelSampleCount(label)) return false;
        const t = this.indexOf.get(label);
        return other.labelList.every((pLabel, fromP) => {
          const n = other.confusionCount(from, fromP);
          if (n === 0) return true;
          const p = this.indexOf.get(pLabel);
          return t !== undefined && p !== undefined && this.confusionCount(t, p) >= n;
        });
      })
    );
  }

  /** Held samples carrying `label` as true, predicted or score key (0 for an unknown label). */
  labelSampleCount(label: string): number {
    const c = this.indexOf.get(label);
    return c === undefined ? 0 : (this.labelSamples[c] ?? 0);
  }

  /** An independent copy. */
  clone(): ClassificationState {
    return ClassificationState.fromJSON(this.toJSON());
  }

  /** Adds (`sign` 1) or subtracts (−1) every sample of `other`. Linear in the samples, so exact both ways. */
  private combine(other: ClassificationState, sign: 1 | -1): this {
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
      if (!mapped.has(c)) this.histograms.addZeroScoreNegatives(c, sign * source.scoredTotal);
    }
    map.forEach((to, from) => {
      this.histograms.mergeClass(to, source.histograms, from, sign);
      this.labelSamples[to] = (this.labelSamples[to] ?? 0) + sign * (source.labelSamples[from] ?? 0);
      map.forEach((toP, fromP) => {
        const n = source.confusionCount(from, fromP);
        if (n !== 0) this.confusion[to * this.capacity + toP] = this.confusionCount(to, toP) + sign * n;
      });
    });
    this.calibration.merge(source.calibration, sign);
    this.total += sign * source.total;
    this.addScoredSums(sign * source.scoredTotal, sign * source.logLoss, sign * source.brier);
    return this;
  }

  /** Adds to the scored count and sums; with no scored sample left the sums are exactly 0. */
  private addScoredSums(count: number, logLoss: number, brier: number): void {
    this.scoredTotal += count;
    this.logLoss = this.scoredTotal === 0 ? 0 : this.logLoss + logLoss;
    this.brier = this.scoredTotal === 0 ? 0 : this.brier + brier;
  }

  /** One sample in (`w` 1) or out (−1); the caller checked that it can be taken out. */
  private apply(trueLabel: string, predictedLabel: string, scores: ClassScores | undefined, w: 1 | -1): this {
    const newLabels = scores === undefined ? undefined : this.checkScores(scores);
    const t = this.ensureLabel(trueLabel);
    const p = this.ensureLabel(predictedLabel);
    this.labelSamples[t] = (this.labelSamples[t] ?? 0) + w;
    if (p !== t) this.labelSamples[p] = (this.labelSamples[p] ?? 0) + w;
    if (scores !== undefined) {
      if (newLabels !== undefined) for (const label of newLabels) this.ensureLabel(label);
      this.recordScores(t, p, scores, w);
    }
    const cell = t * this.capacity + p;
    this.confusion[cell] = (this.confusion[cell] ?? 0) + w;
    this.total += w;
    return this;
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
      labelSamples: this.labelList.map((_, c) => this.labelSamples[c] ?? 0),
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
    // A snapshot from before label counts existed: every label counts as carried while anything is held.
    parsed.labels.forEach((_, c) => (state.labelSamples[c] = parsed.labelSamples?.[c] ?? parsed.count));
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
    this.labelSamples.push(0);
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

  /**
   * One pass over all classes: Brier term, AUC histograms, the score keys' label counts and the top
   * class for ECE, all with weight `w`.
   */
  private recordScores(t: number, predicted: number, scores: ClassScores, w: 1 | -1): void {
    const labels = this.labelList;
    let brier = 0;
    let top = t;
    let topScore = -1;
    for (let c = 0; c < labels.length; c++) {
      const label = labels[c] ?? '';
      const given = scores[label];
      const p = given ?? 0;
      const isTrue = c === t;
      const diff = isTrue ? p - 1 : p;
      brier += diff * diff;
      this.histograms.record(c, p, isTrue, w);
      if (given !== undefined && !isTrue && c !== predicted) {
        this.labelSamples[c] = (this.labelSamples[c] ?? 0) + w;
      }
      // The top class among the sample's own labels (score keys, true, predicted), so it does not
      // depend on what else the state holds; ties go to the smallest label, as numpy's argmax over
      // sklearn's sorted class columns. Only all-zero scores can tie with a label outside the keys.
      const own = given !== undefined || isTrue || c === predicted;
      if (own && (p > topScore || (p === topScore && label < (labels[top] ?? '')))) {
        top = c;
        topScore = p;
      }
    }
    const eps = this.options.logLossEpsilon;
    const pTrue = Math.min(Math.max(scores[labels[t] ?? ''] ?? 0, eps), 1 - eps);
    this.calibration.update(topScore, top === t, w);
    this.addScoredSums(w, -w * Math.log(pTrue), w * brier);
  }
}

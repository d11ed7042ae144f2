-- Estimated performance (confidence-based performance estimation from calibrated scores, before any label)
-- per model, version and event-time window, beside the realized figures of performance_metrics: the same
-- model_id, model_version, window_size, window_start_ms and metric name. One row per figure; revision 0 is
-- written when the window closes on predictions, revision 1 once the realized figure of the window is final
-- (realized, estimation_error = realized - estimate, outside_band, and the concept-drift signal of the
-- estimate-vs-realized detector). Query with FINAL (or argMax(..., revision) GROUP BY the identity).
-- std_error: standard error of the realized figure around the estimate; band_low/band_high: estimate -/+ z se.
-- figure_count: the figure's denominator (predictions; expected support for recall:<c>; ...).
CREATE TABLE IF NOT EXISTS {db}.performance_estimates
(
    model_id String,
    model_version String,
    window_size String,
    window_start DateTime,
    window_end DateTime,
    window_start_ms UInt64,
    window_end_ms UInt64,
    metric String,
    estimate Float64,
    std_error Float64,
    band_low Float64,
    band_high Float64,
    figure_count Float64,
    sample_count UInt64,
    calibration_count UInt64,
    realized Nullable(Float64),
    realized_count UInt64,
    estimation_error Nullable(Float64),
    outside_band UInt8,
    concept_drift UInt8,
    revision UInt8,
    written_at_ms UInt64
)
ENGINE = ReplacingMergeTree(revision)
PARTITION BY toYYYYMM(window_start)
ORDER BY (model_id, model_version, window_size, window_start_ms, metric);

-- Internal state of the estimator (not part of the public contract).
-- The calibration counts of each model version, learned from its first labeled predictions (joined topic);
-- complete = 1 once the configured number is reached, after which the row no longer changes.
CREATE TABLE IF NOT EXISTS {db}.estimator_calibrations
(
    model_id String,
    model_version String,
    source_partition UInt32,
    through_offset UInt64,
    labeled UInt64,
    complete UInt8,
    state String,
    written_at_ms UInt64
)
ENGINE = ReplacingMergeTree(written_at_ms)
ORDER BY (model_id, model_version);

-- The estimate state of each open window per source partition of the inference topic, as of through_offset,
-- with the model's largest event time on that partition (its clock); merged across partitions when it closes.
CREATE TABLE IF NOT EXISTS {db}.estimate_partials
(
    model_id String,
    model_version String,
    window_start_ms UInt64,
    window_end_ms UInt64,
    source_partition UInt32,
    through_offset UInt64,
    stream_time_ms Int64,
    state String,
    written_at_ms UInt64
)
ENGINE = ReplacingMergeTree(through_offset)
PARTITION BY toYYYYMM(toDateTime(intDiv(window_start_ms, 1000)))
ORDER BY (model_id, model_version, window_start_ms, source_partition);

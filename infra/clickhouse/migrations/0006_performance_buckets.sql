-- Mergeable sums per model, version, segment and small bucket (1 minute by default), from which any figure
-- over any range is one GROUP BY away (docs/queries/performance-rollup.sql). Each row holds the FULL sums of
-- its bucket; identity (model_id, model_version, segment, bucket_start_ms), newest `revision` wins: use FINAL.
-- Classifiers: confusion cells as three parallel arrays (true, predicted, count), log-loss and Brier sums
-- over the samples that had class scores, and calibration bins (count, confidence sum, correct count) for
-- the expected calibration error. Regressors: n = sample_count and the sums of e = prediction - target.
CREATE TABLE IF NOT EXISTS {db}.performance_buckets
(
    model_id String,
    model_version String,
    segment String,
    kind String,
    bucket_start DateTime,
    bucket_start_ms UInt64,
    bucket_size_ms UInt64,
    sample_count UInt64,
    correct_count UInt64,
    labels Array(String),
    confusion_true Array(String),
    confusion_pred Array(String),
    confusion_count Array(UInt64),
    scored_count UInt64,
    log_loss_sum Float64,
    brier_sum Float64,
    calibration_count Array(UInt64),
    calibration_confidence_sum Array(Float64),
    calibration_correct Array(UInt64),
    error_sum Float64,
    abs_error_sum Float64,
    squared_error_sum Float64,
    target_sum Float64,
    target_squared_sum Float64,
    pct_error_sum Float64,
    pct_error_count UInt64,
    zero_targets UInt64,
    revision UInt64
)
ENGINE = ReplacingMergeTree(revision)
PARTITION BY toYYYYMM(bucket_start)
ORDER BY (model_id, model_version, segment, bucket_start_ms)

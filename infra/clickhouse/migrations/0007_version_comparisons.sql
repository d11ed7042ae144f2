-- Two versions of a model (A/B arms, a canary or a shadow) compared on the same window and segment:
-- accuracy by a two-proportion z-test (or 2x2 chi-square) for classifiers, mean absolute error by Welch's
-- t-test for regressors. verdict: better | worse | no_difference (for the candidate, two-sided at alpha) or
-- insufficient_data. Identity as in performance_metrics; newest `revision` wins: use FINAL.
CREATE TABLE IF NOT EXISTS {db}.version_comparisons
(
    model_id String,
    baseline_version String,
    candidate_version String,
    baseline_arm String,
    candidate_arm String,
    segment String,
    window_size String,
    window_id UInt64,
    window_start DateTime,
    window_end DateTime,
    metric String,
    test String,
    baseline_value Float64,
    candidate_value Float64,
    baseline_count UInt64,
    candidate_count UInt64,
    statistic Nullable(Float64),
    p_value Nullable(Float64),
    df Nullable(Float64),
    alpha Float64,
    verdict String,
    is_final UInt8,
    revision UInt64
)
ENGINE = ReplacingMergeTree(revision)
PARTITION BY toYYYYMM(window_start)
ORDER BY (model_id, baseline_version, candidate_version, segment, window_size, window_id, metric)

-- One row per (model, version, window, feature, method): the public drift results (CONTRACT.md).
-- Row identity is that key; `input_version` grows with the offsets of the window's partial states, so a
-- recomputation after late data replaces the row and FINAL (or argMax by input_version) shows the latest.
-- feature: an input feature, `__prediction__` (predicted label or regression value), `__score__:<class>`,
-- `__dataset__` (method share_drifted) or `__error__` (concept-drift detectors adwin, page_hinkley, ddm).
-- decisive = 1 on the test that decides the feature's drift (counted in the dataset share); `reason` says
-- why that test was chosen. p_value_adjusted is the p-value after the multiple-testing correction.
CREATE TABLE IF NOT EXISTS {db}.drift_metrics
(
    model_id String,
    model_version String,
    window_start DateTime,
    window_end DateTime,
    feature String,
    feature_type String,
    method String,
    statistic Float64,
    p_value Nullable(Float64),
    p_value_adjusted Nullable(Float64),
    threshold Nullable(Float64),
    drifted UInt8,
    decisive UInt8,
    reason String,
    basis String,
    correction String,
    sample_count UInt64,
    reference_count UInt64,
    profile_id String,
    detail String,
    input_version UInt64,
    computed_at DateTime
)
ENGINE = ReplacingMergeTree(input_version)
PARTITION BY toYYYYMM(window_start)
ORDER BY (model_id, model_version, window_start, feature, method)

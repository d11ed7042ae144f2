-- Performance figures per model, version, segment and window: one row per figure (`metric`).
-- Every row carries the FULL figure of its window, never a delta. Row identity is
-- (model_id, model_version, segment, window_size, window_id, metric); `revision` is the source offset the
-- window state had consumed up to when the row was written, so a late label or a replay after a crash
-- writes a row with the same identity and ReplacingMergeTree keeps the newest. Query with FINAL (or
-- argMax(value, revision) ... GROUP BY the identity).
-- window_size: a tumbling event-time window ('5m', '1h', '1d') or the rolling window ('last_1000').
-- window_id: the window start in ms (tumbling) or the number of labeled predictions seen (rolling).
-- segment: '' for all traffic, 'tag=value' for a configured segment tag.
-- baseline/delta: the version's baseline figure and value - baseline; NULL until the baseline is complete.
-- is_final: 1 once the window can no longer change (stream time passed its end plus the allowed lateness).
CREATE TABLE IF NOT EXISTS {db}.performance_metrics
(
    model_id String,
    model_version String,
    segment String,
    window_size String,
    window_id UInt64,
    window_start DateTime,
    window_end DateTime,
    window_start_ms UInt64,
    window_end_ms UInt64,
    metric String,
    value Float64,
    sample_count UInt64,
    baseline Nullable(Float64),
    delta Nullable(Float64),
    is_final UInt8,
    revision UInt64
)
ENGINE = ReplacingMergeTree(revision)
PARTITION BY toYYYYMM(window_start)
ORDER BY (model_id, model_version, segment, window_size, window_id, metric)

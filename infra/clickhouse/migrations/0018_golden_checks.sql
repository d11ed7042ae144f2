-- One row per golden-set (canary) inference event, one whose golden_expected carries the output the model must
-- give: what was expected, what the model predicted, and whether they agree. Written by the sink beside
-- inference_log; row identity (model_id, model_version, prediction_id) makes redeliveries collapse under FINAL.
-- A mismatch is also published at once as an Alert (metric golden_mismatch), without waiting for labels.
CREATE TABLE IF NOT EXISTS {db}.golden_checks
(
    prediction_id String,
    model_id String,
    model_version String,
    event_time DateTime,
    event_time_ms UInt64,
    expected_label Nullable(String),
    expected_value Nullable(Float64),
    predicted_label Nullable(String),
    predicted_value Nullable(Float64),
    passed UInt8,
    source_partition UInt32,
    source_offset UInt64,
    ingested_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (model_id, model_version, prediction_id);

-- The golden pass rate per model version and hourly event-time window, each event counted once (FINAL).
CREATE VIEW IF NOT EXISTS {db}.golden_pass_rate AS
SELECT
    model_id,
    model_version,
    toStartOfHour(event_time) AS window_start,
    count() AS checks,
    sum(passed) AS passes,
    passes / checks AS pass_rate
FROM {db}.golden_checks FINAL
GROUP BY model_id, model_version, window_start;

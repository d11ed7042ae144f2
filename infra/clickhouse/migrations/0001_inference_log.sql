-- One row per inference event. Row identity is (model_id, prediction_id): a redelivered event replaces
-- itself on merge, and `FINAL` (or GROUP BY prediction_id) hides the copy until then.
CREATE TABLE IF NOT EXISTS {db}.inference_log
(
    prediction_id String,
    model_id String,
    model_version String,
    event_time DateTime,
    event_time_ms UInt64,
    predicted_label Nullable(String),
    predicted_value Nullable(Float64),
    scores String,
    features String,
    num_feature_names Array(String),
    num_feature_values Array(Float64),
    cat_feature_names Array(String),
    cat_feature_values Array(String),
    latency_ms Nullable(Float64),
    tag_keys Array(String),
    tag_values Array(String),
    source_partition UInt32,
    source_offset UInt64,
    ingested_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (model_id, prediction_id)

-- One row per prediction joined to its ground truth, written by the sink from the label joiner's
-- transactional topic (read_committed). Row identity is (model_id, prediction_id): a redelivered pair
-- replaces itself. The version is the pair's offset on the joined topic: a correction (duplicate-label
-- policy `last`) is written later to the same partition (key model_id), so under FINAL the latest label wins.
-- label_delay_ms is signed: a label's event time may precede the prediction's.
CREATE TABLE IF NOT EXISTS {db}.labeled_predictions
(
    prediction_id String,
    model_id String,
    model_version String,
    predicted_label Nullable(String),
    predicted_value Nullable(Float64),
    scores String,
    label String,
    label_value Nullable(Float64),
    predicted_at DateTime,
    predicted_at_ms UInt64,
    labeled_at DateTime,
    labeled_at_ms UInt64,
    label_delay_ms Int64,
    correction UInt8,
    tag_keys Array(String),
    tag_values Array(String),
    source_partition UInt32,
    source_offset UInt64,
    ingested_at DateTime
)
ENGINE = ReplacingMergeTree(source_offset)
PARTITION BY toYYYYMM(predicted_at)
ORDER BY (model_id, prediction_id)

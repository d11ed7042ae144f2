-- One row per ground-truth event as it arrived (a label sent twice is two events). Row identity is the Kafka
-- position, so a redelivery of the same event replaces itself.
CREATE TABLE IF NOT EXISTS {db}.ground_truth
(
    prediction_id String,
    model_id String,
    label String,
    label_value Nullable(Float64),
    event_time DateTime,
    event_time_ms UInt64,
    source_partition UInt32,
    source_offset UInt64,
    ingested_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (prediction_id, source_partition, source_offset)

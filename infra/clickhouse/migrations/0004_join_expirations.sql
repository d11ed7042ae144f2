-- One row per entry the label joiner expired on event time: kind 'unlabeled' (a prediction that got no
-- label within DRIFTLINE_MAX_LABEL_DELAY_MS) or 'orphan' (a label whose prediction never came). Written by
-- the sink from the joiner's transactional expirations topic; row identity (kind, model_id, prediction_id)
-- makes redeliveries collapse under FINAL. Unlabeled counts per model:
--   SELECT model_id, count() FROM join_expirations FINAL WHERE kind = 'unlabeled' GROUP BY model_id
CREATE TABLE IF NOT EXISTS {db}.join_expirations
(
    prediction_id String,
    model_id String,
    model_version String,
    kind String,
    event_at DateTime,
    event_at_ms UInt64,
    expired_at_ms UInt64,
    source_partition UInt32,
    source_offset UInt64,
    ingested_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_at)
ORDER BY (kind, model_id, prediction_id)

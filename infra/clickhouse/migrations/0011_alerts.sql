-- One row per Alert event published to the alerts topic (same fields as on Kafka). Row identity is alert_id,
-- a hash of (model, version, kind, metric, window start, status): a row written again after a crash replaces
-- itself; query with FINAL (or GROUP BY alert_id). evidence is the JSON array of the event's Evidence records;
-- evidence_subjects/evidence_types/evidence_scores repeat it as parallel arrays for has() and arrayJoin.
CREATE TABLE IF NOT EXISTS {db}.alerts
(
    alert_id String,
    model_id String,
    model_version String,
    kind String,
    severity String,
    status String,
    window_start DateTime,
    window_end DateTime,
    window_start_ms UInt64,
    window_end_ms UInt64,
    metric String,
    value Float64,
    threshold Float64,
    message String,
    evidence String,
    evidence_subjects Array(String),
    evidence_types Array(String),
    evidence_scores Array(Float64),
    diagnosis Nullable(String),
    created_at DateTime,
    created_at_ms UInt64
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(window_start)
ORDER BY (model_id, alert_id)

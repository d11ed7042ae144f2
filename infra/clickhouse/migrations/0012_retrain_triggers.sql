-- One row per RetrainTrigger event published to the retrain-triggers topic (same fields as on Kafka). Row
-- identity is trigger_id, a hash of (model, version, window end): replays replace the row; query with FINAL.
-- triggered_at is the event time of the window that decided it. evidence as in alerts.
CREATE TABLE IF NOT EXISTS {db}.retrain_triggers
(
    trigger_id String,
    model_id String,
    model_version String,
    reasons Array(String),
    triggered_at DateTime,
    triggered_at_ms UInt64,
    evidence String,
    evidence_subjects Array(String),
    evidence_types Array(String),
    evidence_scores Array(Float64),
    alert_ids Array(String)
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(triggered_at)
ORDER BY (model_id, trigger_id)

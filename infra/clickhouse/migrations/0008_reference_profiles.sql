-- Reference profiles of the drift monitor, versioned per model version. A profile is immutable: building
-- again adds a row with a new profile_id (a content hash); the service uses the newest by created_at.
-- `profile` is the JSON of services/drift-monitor/src/profile.ts (bin edges from reference quantiles,
-- reference histograms and moments per numeric feature, category counts per categorical feature, the
-- predicted label counts and score/value histograms).
CREATE TABLE IF NOT EXISTS {db}.reference_profiles
(
    model_id String,
    model_version String,
    profile_id String,
    created_at DateTime,
    source String,
    event_count UInt64,
    feature_count UInt32,
    profile String
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (model_id, model_version, profile_id)

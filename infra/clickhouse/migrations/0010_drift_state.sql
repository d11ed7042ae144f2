-- Internal state of the drift monitor (not part of the public contract).

-- Phase 1: the FULL partial window state of one source partition, rewritten after every batch that touched
-- it. through_offset is the last offset of that batch: the state holds every event of the partition up to
-- it that falls in the window, so a replay skips offsets <= through_offset and rewrites identical rows.
CREATE TABLE IF NOT EXISTS {db}.drift_window_partials
(
    model_id String,
    model_version String,
    window_start_ms UInt64,
    window_end_ms UInt64,
    source_partition UInt32,
    through_offset UInt64,
    profile_id String,
    event_count UInt64,
    state String,
    written_at DateTime
)
ENGINE = ReplacingMergeTree(through_offset)
PARTITION BY toYYYYMM(toDateTime(intDiv(window_start_ms, 1000)))
ORDER BY (model_id, model_version, window_start_ms, source_partition);

-- Phase 1: stream time (largest event time seen) of each source partition, written after the partials.
CREATE TABLE IF NOT EXISTS {db}.drift_watermarks
(
    source_partition UInt32,
    stream_time_ms Int64,
    through_offset UInt64,
    written_at DateTime
)
ENGINE = ReplacingMergeTree(through_offset)
ORDER BY source_partition;

-- Phase 2: which inputs (partition:through_offset list) each window was last closed with.
CREATE TABLE IF NOT EXISTS {db}.drift_window_closes
(
    model_id String,
    model_version String,
    window_start_ms UInt64,
    fingerprint String,
    input_version UInt64,
    closed_at DateTime
)
ENGINE = ReplacingMergeTree(input_version)
ORDER BY (model_id, model_version, window_start_ms);

-- Concept drift: detector state per model version, detector and source partition of the joined topic.
CREATE TABLE IF NOT EXISTS {db}.drift_detector_state
(
    model_id String,
    model_version String,
    detector String,
    source_partition UInt32,
    through_offset UInt64,
    state String,
    written_at DateTime
)
ENGINE = ReplacingMergeTree(through_offset)
ORDER BY (model_id, model_version, detector, source_partition)

-- Internal state of the drift monitor (not part of the public contract): each model's own clock, and the
-- prediction ids counted in each open window (de-duplication of re-sent predictions).

-- Phase 1: stream time of each model on each source partition (largest event time of the model seen there),
-- written after the partials of the batch. written_at_ms (wall clock) tells when the model last sent an event.
CREATE TABLE IF NOT EXISTS {db}.drift_model_watermarks
(
    model_id String,
    source_partition UInt32,
    stream_time_ms Int64,
    through_offset UInt64,
    written_at_ms UInt64
)
ENGINE = ReplacingMergeTree(through_offset)
ORDER BY (model_id, source_partition);

-- Phase 1: the prediction ids a batch added to a window's partial state, one row per window and batch
-- (through_offset = the batch's last offset). A window's ids are those of its rows up to its partial's
-- through_offset, read back only while the window is open.
CREATE TABLE IF NOT EXISTS {db}.drift_window_ids
(
    model_id String,
    model_version String,
    window_start_ms UInt64,
    source_partition UInt32,
    through_offset UInt64,
    ids Array(String),
    written_at DateTime
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(toDateTime(intDiv(window_start_ms, 1000)))
ORDER BY (model_id, model_version, window_start_ms, source_partition, through_offset);

-- One row per classifier prediction that names its serving request (request_id): the label each model version
-- gave. Written by the sink; row identity (model_id, request_id, model_version) makes redeliveries and re-sent
-- predictions collapse under FINAL. Versions that scored the same request are production and shadow arms.
CREATE TABLE IF NOT EXISTS {db}.request_predictions
(
    request_id String,
    model_id String,
    model_version String,
    prediction_id String,
    event_time DateTime,
    event_time_ms UInt64,
    predicted_label String,
    ingested_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (model_id, request_id, model_version);

-- Shadow agreement without labels: per model, pair of versions (version_a < version_b) and hourly event-time
-- window of version_a's prediction, the requests both scored and the share where they gave the same label.
CREATE VIEW IF NOT EXISTS {db}.shadow_agreement AS
SELECT
    model_id,
    version_a,
    version_b,
    toStartOfHour(event_time) AS window_start,
    count() AS requests,
    sum(label_a = label_b) AS agreements,
    agreements / requests AS agreement_rate
FROM
(
    SELECT model_id, request_id, model_version AS version_a, predicted_label AS label_a, event_time
    FROM {db}.request_predictions FINAL
) AS a
ALL INNER JOIN
(
    SELECT model_id, request_id, model_version AS version_b, predicted_label AS label_b
    FROM {db}.request_predictions FINAL
) AS b USING (model_id, request_id)
WHERE version_a < version_b
GROUP BY model_id, version_a, version_b, window_start;

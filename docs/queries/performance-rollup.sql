-- Figures over ANY event-time range from the mergeable buckets of performance_buckets.
-- Placeholders: {db} (database, default ml_monitor), {model_id}, {segment} ('' = all traffic, or
-- 'region=eu'), {from} and {to} (UTC, 'YYYY-MM-DD hh:mm:ss', bucket-aligned: buckets are 1 minute by
-- default). Replace them with SQL literals, e.g. {model_id} -> 'churn', {from} -> '2026-01-01 00:00:00'.
-- FINAL keeps the newest revision of each bucket (every bucket row holds the full sums of its bucket).
-- Over the range of a tumbling window these queries give exactly that window's row in performance_metrics.
-- Runs on ClickHouse 18.16 and current releases.

-- name: accuracy_mae
-- Accuracy (classifiers) and error figures (regressors) per model version.
SELECT
    model_id,
    model_version,
    sum(sample_count) AS samples,
    sum(correct_count) / sum(sample_count) AS accuracy,
    sum(abs_error_sum) / sum(sample_count) AS mae,
    sqrt(sum(squared_error_sum) / sum(sample_count)) AS rmse,
    sum(error_sum) / sum(sample_count) AS mean_error,
    sum(pct_error_sum) / sum(pct_error_count) AS mape,
    1 - sum(squared_error_sum) / (sum(target_squared_sum) - sum(target_sum) * sum(target_sum) / sum(sample_count)) AS r2,
    sum(log_loss_sum) / sum(scored_count) AS log_loss
FROM {db}.performance_buckets FINAL
WHERE model_id = {model_id}
  AND segment = {segment}
  AND bucket_start >= toDateTime({from}, 'UTC')
  AND bucket_start < toDateTime({to}, 'UTC')
GROUP BY model_id, model_version
ORDER BY model_version;

-- name: confusion_matrix
SELECT model_version, t AS true_label, p AS predicted_label, sum(n) AS samples
FROM {db}.performance_buckets FINAL
ARRAY JOIN confusion_true AS t, confusion_pred AS p, confusion_count AS n
WHERE model_id = {model_id}
  AND segment = {segment}
  AND bucket_start >= toDateTime({from}, 'UTC')
  AND bucket_start < toDateTime({to}, 'UTC')
GROUP BY model_version, t, p
ORDER BY model_version, t, p;

-- name: per_class
-- Precision, recall and F1 per class (0 where undefined, as scikit-learn's zero_division=0).
SELECT
    model_version,
    class,
    sum(tp) AS true_positives,
    sum(predicted) AS predicted_count,
    sum(support) AS support_count,
    if(predicted_count = 0, 0, true_positives / predicted_count) AS precision,
    if(support_count = 0, 0, true_positives / support_count) AS recall,
    if(predicted_count + support_count = 0, 0, 2 * true_positives / (predicted_count + support_count)) AS f1
FROM
(
    SELECT model_version, t AS class, n * (t = p) AS tp, toUInt64(0) AS predicted, n AS support
    FROM {db}.performance_buckets FINAL
    ARRAY JOIN confusion_true AS t, confusion_pred AS p, confusion_count AS n
    WHERE model_id = {model_id} AND segment = {segment}
      AND bucket_start >= toDateTime({from}, 'UTC') AND bucket_start < toDateTime({to}, 'UTC')
    UNION ALL
    SELECT model_version, p AS class, toUInt64(0) AS tp, n AS predicted, toUInt64(0) AS support
    FROM {db}.performance_buckets FINAL
    ARRAY JOIN confusion_true AS t, confusion_pred AS p, confusion_count AS n
    WHERE model_id = {model_id} AND segment = {segment}
      AND bucket_start >= toDateTime({from}, 'UTC') AND bucket_start < toDateTime({to}, 'UTC')
)
GROUP BY model_version, class
ORDER BY model_version, class;

-- name: calibration
-- Brier score (with the 1/2 of the binary case when at most two labels were seen) and expected
-- calibration error over the top-class confidence bins.
SELECT
    model_version,
    sum(brier_sum) / sum(scored_count) * if(length(groupUniqArrayArray(labels)) <= 2, 0.5, 1) AS brier,
    arraySum(arrayMap((correct, confidence) -> abs(correct - confidence),
        sumForEach(calibration_correct), sumForEach(calibration_confidence_sum))) / sum(scored_count) AS ece
FROM {db}.performance_buckets FINAL
WHERE model_id = {model_id}
  AND segment = {segment}
  AND kind = 'classification'
  AND bucket_start >= toDateTime({from}, 'UTC')
  AND bucket_start < toDateTime({to}, 'UTC')
GROUP BY model_version
ORDER BY model_version;

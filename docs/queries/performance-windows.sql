-- The window rows written by the performance monitor, as they stand now.
-- Placeholders as in performance-rollup.sql, plus {window_size} ('5m', '1h', '1d' or 'last_1000').

-- name: latest_figures
-- FINAL keeps the newest revision of each (model, version, segment, window, metric): a late label's update
-- replaces the earlier row.
SELECT model_version, window_start, window_end, metric, value, sample_count, baseline, delta, is_final
FROM {db}.performance_metrics FINAL
WHERE model_id = {model_id}
  AND segment = {segment}
  AND window_size = {window_size}
  AND metric IN ('accuracy', 'f1_macro', 'log_loss', 'roc_auc', 'mae', 'rmse')
  AND isFinite(value) -- NaN: a figure a label correction took away
  AND window_start >= toDateTime({from}, 'UTC')
  AND window_start < toDateTime({to}, 'UTC')
ORDER BY model_version, window_start, metric;

-- name: latest_figures_group_by
-- The same without FINAL: the value of the newest revision per row identity.
SELECT
    model_version,
    window_start,
    metric,
    argMax(value, revision) AS value,
    argMax(sample_count, revision) AS samples,
    argMax(delta, revision) AS delta_vs_baseline
FROM {db}.performance_metrics
WHERE model_id = {model_id}
  AND segment = {segment}
  AND window_size = {window_size}
  AND window_start >= toDateTime({from}, 'UTC')
  AND window_start < toDateTime({to}, 'UTC')
GROUP BY model_version, segment, window_size, window_id, window_start, metric
HAVING isFinite(value)
ORDER BY model_version, window_start, metric;

-- name: version_verdicts
SELECT window_start, baseline_version, candidate_version, baseline_arm, candidate_arm, metric,
       baseline_value, candidate_value, baseline_count, candidate_count, test, p_value, verdict, is_final
FROM {db}.version_comparisons FINAL
WHERE model_id = {model_id}
  AND segment = {segment}
  AND window_size = {window_size}
ORDER BY window_start, candidate_version;

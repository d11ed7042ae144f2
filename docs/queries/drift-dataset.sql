-- Dataset drift per window of one model: the share of input features whose decisive test drifted, and which.
-- FINAL keeps the latest computation of each row (a window recomputed after late data replaces its rows).
SELECT
    window_start,
    model_version,
    statistic AS share_drifted,
    threshold AS drift_share,
    drifted AS dataset_drift,
    sample_count AS events,
    visitParamExtractRaw(detail, 'drifted_features') AS drifted_features,
    reason
FROM ml_monitor.drift_metrics FINAL
WHERE model_id = 'fraud' AND feature = '__dataset__'
ORDER BY window_start DESC
LIMIT 48

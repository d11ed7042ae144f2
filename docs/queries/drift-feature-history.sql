-- Every test of one feature over time (one column per method): KS statistic and p-value, Wasserstein
-- normed by the reference std and in feature units, PSI, Jensen-Shannon distance, missing-value rate.
SELECT
    window_start,
    maxIf(statistic, method = 'ks') AS ks,
    maxIf(p_value, method = 'ks') AS ks_p,
    maxIf(statistic, method = 'wasserstein') AS wasserstein_normed,
    maxIf(statistic, method = 'wasserstein_raw') AS wasserstein,
    maxIf(statistic, method = 'psi') AS psi,
    maxIf(statistic, method = 'jensen_shannon') AS jensen_shannon,
    maxIf(statistic, method = 'missing_rate') AS missing_rate,
    max(drifted * decisive) AS drifted
FROM ml_monitor.drift_metrics FINAL
WHERE model_id = 'fraud' AND model_version = 'v1' AND feature = 'x0'
GROUP BY window_start
ORDER BY window_start

-- The features that drifted in the last day, with the test that decided it, its statistic and p-values
-- (p_value_adjusted after the multiple-testing correction), ranked by how often they drifted.
SELECT
    model_id,
    feature,
    any(method) AS test,
    count() AS windows_drifted,
    max(window_start) AS last_drifted,
    argMax(statistic, window_start) AS last_statistic,
    argMax(p_value_adjusted, window_start) AS last_adjusted_p
FROM ml_monitor.drift_metrics FINAL
WHERE decisive = 1 AND drifted = 1
  AND feature NOT IN ('__dataset__', '__error__')
  AND window_start >= now() - 86400
GROUP BY model_id, feature
ORDER BY windows_drifted DESC, last_drifted DESC

-- Concept drift: changes of the error stream of joined predictions (0/1 errors of a classifier, absolute
-- errors of a regressor), per detector. window_start..window_end runs from the first error after the
-- previous detection to the error that fired; statistic is the mean error over it.
SELECT model_id, model_version, method AS detector, window_start, window_end, statistic AS mean_error,
       sample_count AS errors_seen, reason
FROM ml_monitor.drift_metrics FINAL
WHERE feature = '__error__'
ORDER BY window_end DESC
LIMIT 50

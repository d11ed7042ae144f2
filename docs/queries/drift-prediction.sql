-- Prediction drift: the predicted label (or regression value) and each class score against the reference.
SELECT window_start, feature, method, statistic, p_value, drifted, decisive, reason
FROM ml_monitor.drift_metrics FINAL
WHERE model_id = 'fraud'
  AND (feature = '__prediction__' OR feature = '__prediction_value__' OR startsWith(feature, '__score__:'))
  AND decisive = 1
ORDER BY window_start DESC, feature
LIMIT 100

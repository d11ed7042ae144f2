-- Reference profiles per model version; the service uses the newest (created_at) of each version.
SELECT model_id, model_version, profile_id, created_at, source, event_count, feature_count
FROM ml_monitor.reference_profiles FINAL
ORDER BY model_id, model_version, created_at

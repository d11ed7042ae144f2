-- The baseline of an estimated figure where the estimator has one of its own: the realized accuracy of the
-- labeled predictions its calibration was learned from (baseline_count of them). NULL for other figures, whose
-- verdicts use the performance monitor's baseline of the same version.
ALTER TABLE {db}.performance_estimates
    ADD COLUMN baseline Nullable(Float64),
    ADD COLUMN baseline_count UInt64 DEFAULT 0,
    ADD COLUMN baseline_source String DEFAULT '';

-- What a verdict weighs beyond the figure (see the alerter's performance rules): the figure's own denominator
-- in the window (figure_count: labeled predictions for accuracy, the class's support for recall:<c>, its
-- predictions for precision:<c>; 0 for figures no test applies to) and, for mean errors, the sample standard
-- deviation of the per-sample quantity (figure_sd); the same for the baseline, and what the baseline is made of.
ALTER TABLE {db}.performance_metrics
    ADD COLUMN figure_count UInt64 DEFAULT 0,
    ADD COLUMN figure_sd Nullable(Float64),
    ADD COLUMN baseline_count UInt64 DEFAULT 0,
    ADD COLUMN baseline_sd Nullable(Float64),
    ADD COLUMN baseline_source String DEFAULT '';

-- An alert decided on an open window says so (provisional = 1); its confirmation or withdrawal comes when the
-- window is final. The test, interval and baseline behind a verdict are in the evidence JSON.
ALTER TABLE {db}.alerts
    ADD COLUMN provisional UInt8 DEFAULT 0;

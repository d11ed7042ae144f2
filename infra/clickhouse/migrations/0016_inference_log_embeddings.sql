-- An event's named embeddings (JSON object of name to array of floats), kept only when the sink is told to
-- (DRIFTLINE_SINK_EMBEDDINGS=true): vectors are large (a 384-d float vector is about 3 KB as JSON) and the
-- drift monitor never needs them after its window sums. Empty when not kept.
ALTER TABLE {db}.inference_log
    ADD COLUMN embeddings String DEFAULT '';

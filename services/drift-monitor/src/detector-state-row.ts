/**
 * A stored detector state (drift_detector_state). Its own file: concept-drift.ts writes it and store.ts reads
 * it, and store.ts depends on rows.ts, which takes concept-drift's Detection: one shared home, no cycle.
 */
export interface DetectorStateRow {
  model_id: string;
  model_version: string;
  detector: string;
  source_partition: number;
  through_offset: number;
  state: string;
  written_at: number;
}

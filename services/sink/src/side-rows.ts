import type { ServiceMetrics } from '../../core/src/metrics/service-metrics.ts';
import type { InferenceEvent } from '../../core/src/records/records.generated.ts';
import { goldenCheck, type GoldenCheckRow } from './golden.ts';
import { writeGoldenChecks, type GoldenOutputDeps } from './golden-output.ts';
import { requestPredictionRow, type RequestPredictionRow } from './request-predictions.ts';
import type { SourcePosition } from './rows.ts';

/** What an inference batch adds beside inference_log: golden checks and request predictions. */
export class InferenceSideRows {
  readonly golden: GoldenCheckRow[] = [];
  readonly requests: RequestPredictionRow[] = [];

  add(e: InferenceEvent, at: SourcePosition, nowMs: number): void {
    const check = goldenCheck(e, at, nowMs);
    if (check) this.golden.push(check);
    const request = requestPredictionRow(e, nowMs);
    if (request) this.requests.push(request);
  }
}

export interface SideRowsDeps extends GoldenOutputDeps {
  metrics: ServiceMetrics;
}

/** Writes the side rows of a batch (and publishes its golden alerts) before the batch's offset is committed. */
export async function writeSideRows(
  deps: SideRowsDeps,
  side: InferenceSideRows,
  nowMs: number,
): Promise<void> {
  // The writer counts the rows of each table (driftline_clickhouse_rows_total), alerts included.
  await deps.writer.insert(deps.database, 'request_predictions', side.requests);
  const failed = await writeGoldenChecks(deps, side.golden, nowMs);
  if (failed > 0) deps.metrics.eventsOut.inc({ topic: deps.alertsTopic }, failed);
}

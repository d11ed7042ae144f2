import type { ClickHouseClient } from '@clickhouse/client';
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
  clickhouse: ClickHouseClient;
  metrics: ServiceMetrics;
}

/** Writes the side rows of a batch (and publishes its golden alerts) before the batch's offset is committed. */
export async function writeSideRows(
  deps: SideRowsDeps,
  side: InferenceSideRows,
  nowMs: number,
): Promise<void> {
  if (side.requests.length > 0) {
    await deps.clickhouse.insert({
      table: `${deps.database}.request_predictions`,
      values: side.requests,
      format: 'JSONEachRow',
    });
    deps.metrics.rowsWritten.inc({ table: 'request_predictions' }, side.requests.length);
  }
  const failed = await writeGoldenChecks(deps, side.golden, nowMs);
  if (side.golden.length > 0) deps.metrics.rowsWritten.inc({ table: 'golden_checks' }, side.golden.length);
  if (failed > 0) {
    deps.metrics.eventsOut.inc({ topic: deps.alertsTopic }, failed);
    deps.metrics.rowsWritten.inc({ table: 'alerts' }, failed);
  }
}

import type { DriftlineConfig } from '../../core/src/config/settings.ts';
import { describe, DriftlineError, ServerUnavailableError } from '../../core/src/errors.ts';
import type { Kafka } from '../../core/src/kafka/client.ts';
import { assertCoPartitioned, changelogSpec, ensureTopics } from '../../core/src/kafka/topics.ts';
import type { Logger } from '../../core/src/logger.ts';
import { withRetry } from '../../core/src/retry.ts';

/** The compacted changelog, numbered like the joined topic (state of partition p lives in partition p). */
export async function provisionChangelog(
  kafka: Kafka,
  config: DriftlineConfig,
  source: string,
  logger: Logger,
): Promise<string> {
  return withRetry(() => create(kafka, config, source), {
    attempts: 6,
    onRetry: (e, n) => logger.warn({ attempt: n, error: describe(e) }, 'changelog topic not ready, retrying'),
  });
}

async function create(kafka: Kafka, config: DriftlineConfig, source: string): Promise<string> {
  const spec = changelogSpec(config, 'performance-monitor-windows');
  // A window state with many classes can exceed the broker's 1 MB default.
  spec.config = { ...spec.config, 'max.message.bytes': String(16 * 1024 * 1024) };
  const admin = kafka.admin();
  try {
    await admin.connect();
    await ensureTopics(admin, [spec]);
    await assertCoPartitioned(admin, [source, spec.topic]);
  } catch (error) {
    // A topic just created may not be in the metadata yet: worth another try, unlike a partition mismatch.
    if (error instanceof DriftlineError) throw error;
    throw new ServerUnavailableError('kafka', `cannot provision ${spec.topic}: ${describe(error)}`, error);
  } finally {
    await admin.disconnect();
  }
  return spec.topic;
}

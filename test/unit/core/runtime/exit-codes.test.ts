import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import '../../../../services/core/src/kafka/client.ts';
import {
  ConfigError,
  DriftlineError,
  RetriesExceededError,
  ServerUnavailableError,
} from '../../../../services/core/src/errors.ts';
import { exitCodeFor } from '../../../../services/core/src/runtime/exit-codes.ts';

const require = createRequire(import.meta.url);
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode: (code: number) => Error;
};

describe('exitCodeFor', () => {
  it('shouldAskForALaterStartWhenAServerOrKafkaMetadataWasNotReady', () => {
    const race = createErrorFromCode(3); // UNKNOWN_TOPIC_OR_PARTITION
    expect(exitCodeFor(race)).toBe(75);
    expect(exitCodeFor(new RetriesExceededError(20, race))).toBe(75);
    expect(
      exitCodeFor(new RetriesExceededError(12, new ServerUnavailableError('clickhouse', 'no answer'))),
    ).toBe(75);
  });

  it('shouldSayFailedWhenOnlyAChangeCanHelp', () => {
    expect(exitCodeFor(new ConfigError('DRIFTLINE_DRIFT_WINDOW', 'expected a duration'))).toBe(1);
    expect(exitCodeFor(new DriftlineError('topics must be co-partitioned'))).toBe(1);
    expect(exitCodeFor(new TypeError('undefined is not a function'))).toBe(1);
  });
});

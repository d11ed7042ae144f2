import { describe, expect, it } from 'vitest';
import {
  describeExit,
  exitsInARow,
  lastErrorLine,
  MAX_DELAY_MS,
  restartDelayMs,
} from '../../../services/cli/src/restart-policy.ts';

describe('restartDelayMs', () => {
  it('shouldDoubleFrom250MsUpTo30SecondsWhenAServiceKeepsExiting', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(restartDelayMs)).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(restartDelayMs(100)).toBe(MAX_DELAY_MS);
  });

  it('shouldStartCountingAgainWhenTheServiceRanForAMinuteBeforeItExited', () => {
    expect(exitsInARow(5, 3_000)).toBe(6);
    expect(exitsInARow(5, 60_000)).toBe(1);
    expect(restartDelayMs(exitsInARow(7, 3_600_000))).toBe(250);
  });
});

describe('lastErrorLine', () => {
  const line = (level: number, msg: string, extra: object = {}) =>
    JSON.stringify({ level, time: '2026-01-01T00:00:00.000Z', service: 'alerter', msg, ...extra });

  it('shouldTakeTheLastFatalOrErrorLineWithTheErrorItNames', () => {
    const log = [
      line(30, 'starting'),
      line(50, 'an older error'),
      line(60, 'cannot start alerter: rules file r.json: setting x: expected a number', {
        error: 'rules file r.json: setting x: expected a number',
      }),
      line(30, 'stopped'),
      '',
    ].join('\n');
    expect(lastErrorLine(log)).toBe('cannot start alerter: rules file r.json: setting x: expected a number');
    expect(lastErrorLine(line(60, 'consumer crashed; exiting', { error: 'KafkaJSNotImplemented' }))).toBe(
      'consumer crashed; exiting: KafkaJSNotImplemented',
    );
  });

  it('shouldReadAPlainStackTraceWhenTheServiceDiedBeforeItsLoggerExisted', () => {
    const log = `${line(30, 'starting')}\nfile:///x.ts:3\nSyntaxError: The requested module 'kafkajs' does not provide an export\n    at ModuleJob\n`;
    expect(lastErrorLine(log)).toBe("SyntaxError: The requested module 'kafkajs' does not provide an export");
  });

  it('shouldPreferTheFatalLineToLaterPassingErrorsOfKafkajs', () => {
    const log = [
      line(60, 'consumer crashed; exiting so it can be restarted', { error: 'KafkaJSNotImplemented' }),
      line(50, 'Response CreateTopics(key: 19, version: 3): Topic creation errors'),
    ].join('\n');
    expect(lastErrorLine(log)).toBe(
      'consumer crashed; exiting so it can be restarted: KafkaJSNotImplemented',
    );
    expect(lastErrorLine(line(50, 'The group is rebalancing, re-joining'))).toBe(
      'The group is rebalancing, re-joining',
    );
  });

  it('shouldSkipStackFramesThatMentionAnError', () => {
    expect(
      lastErrorLine('    at parseError (/x/node_modules/@clickhouse/client/error.ts:47:35)\n'),
    ).toBeUndefined();
  });

  it('shouldSayNothingWhenTheLogHasNoError', () => {
    expect(
      lastErrorLine(`${line(30, 'starting')}\n${line(40, 'server not ready, retrying')}\n`),
    ).toBeUndefined();
  });
});

describe('describeExit', () => {
  it('shouldNameTheSignalOrTheCode', () => {
    expect(describeExit(null, 'SIGKILL')).toBe('killed by SIGKILL');
    expect(describeExit(75, null)).toBe('exited with code 75');
  });
});

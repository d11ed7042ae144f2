import { describe, expect, it } from 'vitest';
import {
  assertPatchedKafkajs,
  installedKafkajsVersion,
  KafkajsVersionError,
  PATCHED_KAFKAJS_VERSION,
} from '../../../../services/core/src/kafka/kafkajs-version.ts';
import packageJson from '../../../../package.json' with { type: 'json' };

describe('kafkajs version', () => {
  it('shouldAcceptTheInstalledKafkajsWhenItIsThePatchedRelease', () => {
    expect(installedKafkajsVersion()).toBe(PATCHED_KAFKAJS_VERSION);
    expect(() => assertPatchedKafkajs(installedKafkajsVersion())).not.toThrow();
  });

  it.each(['2.2.3', '2.2.5', '2.3.0', '3.0.0'])('shouldRefuseKafkajs %s naming both versions', (found) => {
    expect(() => assertPatchedKafkajs(found)).toThrow(KafkajsVersionError);
    expect(() => assertPatchedKafkajs(found)).toThrow(
      `kafkajs ${found} is installed, but Driftline's kafkajs patches were written for 2.2.4`,
    );
  });

  it('shouldBeNotRetriableWhenTheVersionIsWrong', () => {
    expect(new KafkajsVersionError('2.2.5').retriable).toBe(false);
  });

  it('shouldPinTheExactPatchedVersionWhenDeclaredInPackageJson', () => {
    expect(packageJson.dependencies.kafkajs).toBe(PATCHED_KAFKAJS_VERSION);
  });
});

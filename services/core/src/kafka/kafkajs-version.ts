import { createRequire } from 'node:module';
import { DriftlineError } from '../errors.ts';

/**
 * The kafkajs release our patches (kafkajs-patches.ts) were written against. They replace kafkajs' internal
 * modules by path and keep their calling conventions; another release may move or change those modules and
 * the patches would then break exactly-once reads or produce requests silently. package.json pins it exactly.
 */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/** Another kafkajs than the patches were written for. Not retriable: the install has to change. */
export class KafkajsVersionError extends DriftlineError {
  constructor(readonly found: string) {
    super(
      `kafkajs ${found} is installed, but Driftline's kafkajs patches were written for ${PATCHED_KAFKAJS_VERSION}` +
        ` exactly: install kafkajs@${PATCHED_KAFKAJS_VERSION} (npm ci with the committed lock file)`,
    );
  }
}

/** @throws KafkajsVersionError unless `found` is the patched version. */
export function assertPatchedKafkajs(found: string): void {
  if (found !== PATCHED_KAFKAJS_VERSION) throw new KafkajsVersionError(found);
}

/** The version of the kafkajs that `import 'kafkajs'` loads. */
export function installedKafkajsVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('kafkajs/package.json') as { version: string }).version;
}

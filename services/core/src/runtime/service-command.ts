import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The Node flags every service runs with, wherever it is started (`driftline up`, the container image, the
 * tests). A service decodes a fetched batch of thousands of events into objects that live until the batch is
 * processed; with V8's default young generation (16 MiB semi-spaces) most of a batch survives a scavenge and is
 * copied, then promoted, so the garbage collector was the largest single item in every service's profile. With
 * 64 MiB a batch dies young: decoding an inference event took 4.1–4.4 µs of CPU instead of 6.4–6.6
 * (`node --max-semi-space-size=64 --import tsx bench/estimator.ts`, against the same without the flag). The cost
 * is at most about 100 MiB more resident memory per process, a constant: it does not grow with the state.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The arguments after `node` that run `service` as in production; `nodeFlags` go before the script. */
export function serviceArgs(service: string, nodeFlags: readonly string[] = []): string[] {
  return [
    ...SERVICE_NODE_FLAGS,
    ...nodeFlags,
    '--import',
    'tsx',
    path.join(ROOT, 'services', service, 'src', 'main.ts'),
  ];
}

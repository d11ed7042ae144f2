import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DATA_DIR = process.env.DRIFTLINE_DATA_DIR ?? path.join(ROOT, '.infra-data');
/**
 * Where `driftline up` keeps the supervisor's state and the services' logs. Apart from DATA_DIR (the servers'
 * data) so a second pipeline can run beside the first on the same servers, as the tests do.
 */
export const RUN_DIR = process.env.DRIFTLINE_RUN_DIR ?? DATA_DIR;
export const SERVICE_DIR = path.join(RUN_DIR, 'services');
export const LOG_DIR = path.join(RUN_DIR, 'logs');

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DATA_DIR = process.env.DRIFTLINE_DATA_DIR ?? path.join(ROOT, '.infra-data');
export const SERVICE_DIR = path.join(DATA_DIR, 'services');
export const LOG_DIR = path.join(DATA_DIR, 'logs');

import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.ts';
import { PIPELINE_SERVICES } from './supervisor.ts';

/** Services run on demand (`driftline mcp`, `driftline ingest`) rather than by `up`: their settings count too. */
const ON_DEMAND_SERVICES = ['mcp', 'ingest'];

/** Loads each service's settings table (they register themselves on import) so `config` documents them all. */
export async function importServiceSettings(): Promise<void> {
  for (const name of [...PIPELINE_SERVICES, ...ON_DEMAND_SERVICES]) {
    const file = path.join(ROOT, 'services', name, 'src', 'settings.ts');
    if (existsSync(file)) await import(pathToFileURL(file).href);
  }
}

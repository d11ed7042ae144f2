// `npm run bench`: every benchmark in this folder, one after another, each in its own process so their
// memory figures don't mix. Pass names to run a subset: `npm run bench -- stats-update`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name));
let failed = 0;
for (const name of benches) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(here, `${name}.ts`)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

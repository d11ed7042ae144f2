/**
 * Peer benchmark: our drift computation beside NannyML's UnivariateDriftCalculator, Evidently's
 * DataDriftPreset and scipy (ks_2samp, chisquare per column) on the same data, one machine.
 *
 *   bash bench/peers/install.sh     (once: NannyML, Evidently and scipy in a venv of their own)
 *   npx tsx bench/peers.ts [ours|scipy|nannyml|evidently ...]     (or `npm run bench -- peers`)
 *
 * The data (bench/peers/data.ts: 22 columns, a 100,000-row reference, ten 100,000-row windows) is written
 * once as CSV under .infra-data/bench/ and every side reads that file in a process of its own. Each side
 * reports its compute time (statistics only: the profile or fit on the reference and every window, not
 * reading the file) as CPU and wall seconds; the whole process is timed from its start to its exit. Our side
 * runs the drift monitor's own code (bench/peers/ours.ts). Then the peers' statistics are compared with ours
 * where both compute the same thing (max abs difference). Without the peers' venv only our side runs.
 * Every side but Evidently (minutes per run) runs RUNS times and keeps its best figures: on a shared machine
 * the slower runs measure the neighbours.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPath, ensureData } from './peers/data.ts';
import { agreementTable, timingTable, type SideResult } from './peers/report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const SIDES = ['ours', 'scipy', 'nannyml', 'evidently'] as const;
const RUNS = 3;

/** The peers' venv python when install.sh has made it and its imports work; else undefined. */
function peersPython(): string | undefined {
  const home = process.env.DRIFTLINE_HOME ?? path.join(homedir(), '.cache', 'driftline');
  const python = path.join(home, 'peers-venv', 'bin', 'python');
  if (!existsSync(python)) return undefined;
  const check = spawnSync(python, ['-c', 'import evidently, nannyml, scipy, pandas'], {
    env: { ...process.env, NML_DISABLE_USAGE_LOGGING: '1', DO_NOT_TRACK: '1' },
  });
  return check.status === 0 ? python : undefined;
}

/** The best (least) of each time over runs of one side; the statistics of the first run. */
function bestOf(runs: SideResult[]): SideResult {
  const least = (f: (r: SideResult) => number) => Math.min(...runs.map(f));
  const first = runs[0] as SideResult;
  return {
    ...first,
    load: { cpu: least((r) => r.load.cpu), wall: least((r) => r.load.wall) },
    compute: { cpu: least((r) => r.compute.cpu), wall: least((r) => r.compute.wall) },
    process: { cpu: least((r) => r.process.cpu) },
    wall: least((r) => r.wall),
  };
}

/** Runs one side in its own process; its last stdout line is its JSON result. */
function runSide(command: string, args: string[]): SideResult {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd: repo, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  const wall = (performance.now() - started) / 1e3;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const last = r.stdout.trim().split('\n').pop() as string;
  return { ...(JSON.parse(last) as Omit<SideResult, 'wall'>), wall };
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => (SIDES as readonly string[]).includes(a));
  const sides = wanted.length > 0 ? wanted : [...SIDES];
  const file = dataPath(repo);
  if (await ensureData(file)) console.log(`wrote ${path.relative(repo, file)}`);
  const python = peersPython();
  if (!python && sides.some((s) => s !== 'ours')) {
    console.log(
      'peers skipped: NannyML, Evidently and scipy are not installed. Run `bash bench/peers/install.sh` (its own venv, pinned in bench/peers/requirements.txt), then this benchmark again.',
    );
  }
  const load = () => loadavg()[0]!.toFixed(1);
  console.log(`node ${process.version}; ${path.relative(repo, file)}; load average ${load()} at start`);
  const results: SideResult[] = [];
  for (const side of sides) {
    if (side !== 'ours' && !python) continue;
    const [command, args] =
      side === 'ours'
        ? [process.execPath, ['--import', 'tsx', path.join(here, 'peers', 'ours.ts'), file]]
        : [python as string, [path.join(here, 'peers', 'peers.py'), side, file]];
    const runs: SideResult[] = [];
    for (let run = 0; run < (side === 'evidently' ? 1 : RUNS); run++) {
      const r = runSide(command, args);
      runs.push(r);
      console.log(
        `  ${side}: compute ${r.compute.cpu.toFixed(2)} s CPU, whole process ${r.wall.toFixed(2)} s`,
      );
    }
    results.push(bestOf(runs));
  }
  console.log(`load average ${load()} at end; best of ${RUNS} runs (Evidently: 1)\n`);
  console.log(timingTable(results).join('\n'));
  const agreement = agreementTable(results);
  if (agreement.length > 2) console.log(`\n${agreement.join('\n')}`);
}

await main();

// The fault suite: `npx tsx test/faults/run.ts [--full | --outages] [--per-window N]`. Runs the demo's stream (a
// classifier with two versions and a regressor, delayed labels, a data drift then a concept shift) through every
// service under `driftline up`'s supervisor twice, fault-free and under faults, and compares every table. Without
// a flag: 5 SIGKILLs and one SIGSTOP, the shared servers untouched. With --full: 24 SIGKILLs, a Kafka broker
// restart, ClickHouse stopped 60 s, the schema registry stopped 30 s and one SIGSTOP (disturbs everything else
// using the same servers). With --outages: the three server faults, then the drift monitor SIGSTOPped past its
// session timeout with no other instance; any service restart fails the run (services wait for a server and
// rejoin their group in-process). Exits 1 when anything differs.
import { report, runSuite } from './suite.ts';

const args = process.argv.slice(2);
const perWindowAt = args.indexOf('--per-window');
const outages = args.includes('--outages');
const result = await runSuite({
  full: args.includes('--full'),
  plan: outages ? 'outages' : undefined,
  perWindow: perWindowAt >= 0 ? Number(args[perWindowAt + 1]) : 100,
});
console.log(report(result));
const restarted = Object.values(result.faulty.restarts).some((n) => n > 0);
if (outages && restarted) console.log('services restarted during the outages: they should have waited');
process.exit(result.differences.length === 0 && !(outages && restarted) ? 0 : 1);

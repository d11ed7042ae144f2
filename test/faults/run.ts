// The fault suite: `npx tsx test/faults/run.ts [--full] [--per-window N]`. Runs the demo's stream (a classifier
// with two versions and a regressor, delayed labels, a data drift then a concept shift) through every service
// under `driftline up`'s supervisor twice, fault-free and under faults, and compares every table. Without
// --full: 5 SIGKILLs and one SIGSTOP, the shared servers untouched. With --full: 24 SIGKILLs, a Kafka broker
// restart, ClickHouse stopped 60 s, the schema registry stopped 30 s and one SIGSTOP (disturbs everything else
// using the same servers). Exits 1 when anything differs.
import { report, runSuite } from './suite.ts';

const args = process.argv.slice(2);
const perWindowAt = args.indexOf('--per-window');
const result = await runSuite({
  full: args.includes('--full'),
  perWindow: perWindowAt >= 0 ? Number(args[perWindowAt + 1]) : 100,
});
console.log(report(result));
process.exit(result.differences.length === 0 ? 0 : 1);

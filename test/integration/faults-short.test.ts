// The fault suite's short version (test/faults): the demo's stream through every service under `driftline up`'s
// supervisor, fault-free and then with 5 SIGKILLs of random services and one label-joiner instance paused
// (SIGSTOP) until its partitions move to a spare instance, then resumed; every table must match. The servers
// are left alone: the full version (`npx tsx test/faults/run.ts --full`) restarts and stops them.
import { describe, expect, it } from 'vitest';
import { report, runSuite } from '../faults/suite.ts';

describe('fault suite, short (real Kafka, registry, ClickHouse; supervised services)', () => {
  it('shouldLeaveEveryTableAsTheFaultFreeRunDidWhenServicesAreKilledAndPaused', async () => {
    const result = await runSuite({ full: false, perWindow: 40 });
    console.log(report(result));
    expect(result.faulty.faults.filter((f) => f.includes('SIGKILL '))).toHaveLength(5);
    expect(result.faulty.faults.some((f) => f.includes('SIGCONT'))).toBe(true);
    expect(result.clean.snapshot.labeled_predictions!.length).toBeGreaterThan(0);
    expect(result.differences).toEqual([]);
  }, 3_600_000);
});

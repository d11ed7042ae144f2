import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsTable } from '../../../services/core/src/config/load.ts';
import { importServiceSettings } from '../../../services/cli/src/service-settings.ts';

/** Each service README lists its own settings as `bin/driftline config` prints them: which rows, per README. */
const OWN_ROWS: Record<string, (row: string) => boolean> = {
  sink: (row) => row.startsWith('| `DRIFTLINE_SINK_'),
  'performance-monitor': (row) => row.includes('| performance-monitor |'),
  alerter: (row) => row.includes('| alerter |'),
};

describe('service READMEs', () => {
  for (const [service, isOwn] of Object.entries(OWN_ROWS)) {
    it(`shouldListEveryOwnSettingWithItsCurrentDefault (${service})`, async () => {
      await importServiceSettings();
      const readme = readFileSync(new URL(`../../../services/${service}/README.md`, import.meta.url), 'utf8');
      const rows = settingsTable().split('\n').slice(2).filter(isOwn);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(readme).toContain(row);
    });
  }
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsTable } from '../../../services/core/src/config/load.ts';
import { importServiceSettings } from '../../../services/cli/src/service-settings.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('shouldListEverySettingWithItsCurrentDefault (regenerate with `bin/driftline config`)', async () => {
    await importServiceSettings();
    for (const row of settingsTable().split('\n').slice(2)) expect(readme).toContain(row);
  });

  it('shouldShowTheTestCommandAndTheMainJob', () => {
    expect(readme).toContain('npm test');
    expect(readme).toContain('bin/driftline demo');
  });
});

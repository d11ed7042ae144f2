import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS, serviceArgs } from '../../../../services/core/src/runtime/service-command.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

describe('service command', () => {
  it('shouldRunTheServiceMainThroughTsxWithTheServiceFlagsFirst', () => {
    const args = serviceArgs('sink', ['--cpu-prof']);
    expect(args.slice(0, SERVICE_NODE_FLAGS.length)).toEqual(SERVICE_NODE_FLAGS);
    expect(args.slice(SERVICE_NODE_FLAGS.length)).toEqual([
      '--cpu-prof',
      '--import',
      'tsx',
      path.join(ROOT, 'services', 'sink', 'src', 'main.ts'),
    ]);
  });

  it('shouldGiveTheContainerImageTheSameNodeFlagsWhenTheDockerfileRunsAService', () => {
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(
      readFileSync(path.join(ROOT, 'infra/docker/Dockerfile'), 'utf8'),
    );
    expect(JSON.parse(entrypoint![1]!)).toEqual(['node', ...SERVICE_NODE_FLAGS, '--import', 'tsx']);
  });

  it('shouldStartEveryServiceFromASingleHomeWhenSupervisorOrTestsLaunchOne', () => {
    for (const file of [
      'services/cli/src/supervisor-process.ts',
      'test/integration/utils/service-process.ts',
    ]) {
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      expect(source, file).toContain('serviceArgs(');
      expect(source, file).not.toMatch(/'--import',\s*'tsx'/);
    }
  });
});

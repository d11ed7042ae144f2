import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deleteCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from '../../../../services/core/src/store/checkpoint.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'cp-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('checkpoint', () => {
  it('shouldReadBackTheOffsetWhenWritten', async () => {
    const file = path.join(dir, 'a.checkpoint');
    await writeCheckpoint(file, 12345678901234n);
    expect(await readCheckpoint(file)).toBe(12345678901234n);
    await deleteCheckpoint(file);
    expect(await readCheckpoint(file)).toBeUndefined();
  });

  it('shouldTreatAMissingOrBrokenFileAsNoCheckpoint', async () => {
    const file = path.join(dir, 'b.checkpoint');
    expect(await readCheckpoint(file)).toBeUndefined();
    await writeFile(file, '{"changelogEnd":');
    expect(await readCheckpoint(file)).toBeUndefined();
  });
});

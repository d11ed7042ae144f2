import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/**
 * A store's clean-shutdown checkpoint (Kafka Streams' `.checkpoint`): the changelog offset its local files
 * match. Written only after a clean close and deleted as soon as the store is opened for writing, so a crash
 * never leaves a checkpoint that lies: a missing or different checkpoint means "restore from the changelog".
 */
export async function readCheckpoint(file: string): Promise<bigint | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { changelogEnd?: unknown };
    return typeof parsed.changelogEnd === 'string' ? BigInt(parsed.changelogEnd) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes atomically (temporary file, then rename), so a crash mid-write leaves no half checkpoint. */
export async function writeCheckpoint(file: string, changelogEnd: bigint): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify({ changelogEnd: changelogEnd.toString() }));
  await rename(tmp, file);
}

export async function deleteCheckpoint(file: string): Promise<void> {
  await rm(file, { force: true });
}

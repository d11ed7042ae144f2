/** `driftline ingest`: the HTTP ingest service in this process (it starts on import, as under the supervisor). */
export async function ingest(): Promise<void> {
  await import('../../../ingest/src/main.ts');
}

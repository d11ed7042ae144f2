/** `driftline mcp [--http]`: the MCP diagnosis server (loaded on demand: the SDK is not needed elsewhere). */
export async function mcp(options: { http?: boolean }): Promise<void> {
  const { runMcp } = await import('../../../mcp/src/main.ts');
  await runMcp(options);
}

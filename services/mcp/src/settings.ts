import { z } from 'zod';
import { loadSettings, registerSettings, type SettingsOf } from '../../core/src/config/load.ts';
import { setting, settingKinds } from '../../core/src/config/settings.ts';

const { port, positiveInt } = settingKinds;

/**
 * The MCP server's own settings (DRIFTLINE_MCP_*). ClickHouse is reached with the core's settings; these
 * bound what one tool call may cost and say where the HTTP transport listens.
 */
export const MCP_SETTINGS = {
  token: setting(
    'DRIFTLINE_MCP_TOKEN',
    '',
    z.string(),
    'Bearer token the Streamable HTTP transport requires (secret: from the environment only); empty: HTTP refuses to start. stdio needs none.',
  ),
  host: setting(
    'DRIFTLINE_MCP_HOST',
    '127.0.0.1',
    z.string().min(1, 'must not be empty'),
    'Address the HTTP transport listens on; loopback unless you put a proxy with TLS in front.',
  ),
  port: setting('DRIFTLINE_MCP_PORT', '9465', port, 'Port of the HTTP transport (`driftline mcp --http`).'),
  maxExecutionSeconds: setting(
    'DRIFTLINE_MCP_MAX_EXECUTION_SECONDS',
    '10',
    positiveInt,
    "ClickHouse `max_execution_time` of every tool's queries: a slow query fails instead of piling up.",
  ),
  maxRowsToRead: setting(
    'DRIFTLINE_MCP_MAX_ROWS_TO_READ',
    '50000000',
    positiveInt,
    "ClickHouse `max_rows_to_read` of every tool's queries: a scan larger than this fails with a clear error.",
  ),
  maxOutputChars: setting(
    'DRIFTLINE_MCP_MAX_OUTPUT_CHARS',
    '60000',
    z.coerce.number().int().min(2000),
    'Largest tool result (JSON characters); longer lists are cut and the result says so (`truncated`).',
  ),
};

registerSettings('mcp', MCP_SETTINGS);

export type McpSettings = SettingsOf<typeof MCP_SETTINGS>;

/** @throws ConfigError naming the variable. */
export function loadMcpSettings(env: Record<string, string | undefined> = process.env): McpSettings {
  return loadSettings(MCP_SETTINGS, env);
}

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { describe as describeError } from '../../core/src/errors.ts';
import { boundOutput } from './bound-output.ts';
import type { SelectRows } from './reader.ts';

/** What every tool reads through: the bounded reader, the database name (from configuration) and a clock. */
export interface ToolContext {
  select: SelectRows;
  database: string;
  now: () => number;
  maxOutputChars: number;
}

/** One read-only diagnosis tool: a zod argument shape, and a run from validated arguments to a JSON result. */
export interface DiagnosisTool<S extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: S;
  run(ctx: ToolContext, args: z.output<z.ZodObject<S>>): Promise<Record<string, unknown>>;
}

/** A tool with its argument types erased, ready to register on a server. */
export interface RegistrableTool {
  name: string;
  register(server: McpServer, ctx: ToolContext): void;
}

/**
 * Erases a tool's argument types for the registry. The SDK validates arguments against `input` before `run`
 * (a malformed argument is answered with an error naming the field); a failing run becomes an error result
 * with the reason, never a crash of the server.
 */
export function defineTool<S extends z.ZodRawShape>(tool: DiagnosisTool<S>): RegistrableTool {
  return {
    name: tool.name,
    register(server, ctx) {
      const config = {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: true, openWorldHint: false },
      };
      server.registerTool(tool.name, config, (async (args: z.output<z.ZodObject<S>>) =>
        answer(await settle(() => tool.run(ctx, args)), ctx.maxOutputChars)) as never);
    },
  };
}

async function settle(
  run: () => Promise<Record<string, unknown>>,
): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; message: string }> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
}

function answer(
  outcome: { ok: true; value: Record<string, unknown> } | { ok: false; message: string },
  maxChars: number,
): CallToolResult {
  if (!outcome.ok) return { isError: true, content: [{ type: 'text', text: outcome.message }] };
  const bounded = boundOutput(outcome.value, maxChars);
  return { content: [{ type: 'text', text: JSON.stringify(bounded) }] };
}

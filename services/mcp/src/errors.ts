import { DriftlineError } from '../../core/src/errors.ts';

/** A tool call that cannot be answered from its arguments (an unknown model, a bad range). Not retriable. */
export class ToolInputError extends DriftlineError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: false, cause });
  }
}

/** The HTTP transport cannot start as configured (no token, say). Not retriable. */
export class McpStartError extends DriftlineError {
  constructor(message: string) {
    super(`mcp: ${message}`, { retriable: false });
  }
}

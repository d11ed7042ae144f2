import { DriftlineError } from '../../core/src/errors.ts';

/**
 * A rules file that cannot be used. Not retriable: the service stops at start-up with a message naming the
 * file, the rule (or section) and the setting, e.g.
 * `rules file infra/alerting/rules.json: rule performance.accuracy_drop: setting critical_pct: expected a number, got "five"`.
 */
export class RulesError extends DriftlineError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(problems.map((p) => `rules file ${file}: ${p}`).join('\n'), { retriable: false });
  }
}

/** The alerter's state changelog could not be read to its end. Retriable: start-up tries again. */
export class StateRestoreError extends DriftlineError {
  constructor(topic: string, message: string, cause?: unknown) {
    super(`restoring alerter state from ${topic}: ${message}`, { retriable: true, cause });
  }
}

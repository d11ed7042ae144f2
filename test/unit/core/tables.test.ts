import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../../services/core/src/clickhouse/migrations.ts';
import type { Columns } from '../../../services/core/src/tables/columns.ts';
import { ALERTS, ALERTS_COLUMNS } from '../../../services/core/src/tables/alerts.ts';
import { DRIFT_METRICS, DRIFT_METRICS_COLUMNS } from '../../../services/core/src/tables/drift-metrics.ts';
import { GROUND_TRUTH, GROUND_TRUTH_COLUMNS } from '../../../services/core/src/tables/ground-truth.ts';
import { INFERENCE_LOG, INFERENCE_LOG_COLUMNS } from '../../../services/core/src/tables/inference-log.ts';
import {
  JOIN_EXPIRATIONS,
  JOIN_EXPIRATIONS_COLUMNS,
} from '../../../services/core/src/tables/join-expirations.ts';
import {
  LABELED_PREDICTIONS,
  LABELED_PREDICTIONS_COLUMNS,
} from '../../../services/core/src/tables/labeled-predictions.ts';
import {
  RETRAIN_TRIGGERS,
  RETRAIN_TRIGGERS_COLUMNS,
} from '../../../services/core/src/tables/retrain-triggers.ts';
import {
  PERFORMANCE_ESTIMATES,
  PERFORMANCE_ESTIMATES_COLUMNS,
} from '../../../services/core/src/tables/performance-estimates.ts';
import {
  PERFORMANCE_METRICS,
  PERFORMANCE_METRICS_COLUMNS,
} from '../../../services/core/src/tables/performance-metrics.ts';

/**
 * Each table module declares the columns its row types are derived from; the migrations create them. A column
 * added, renamed or retyped on one side only fails here, before a writer inserts a row the table rejects or a
 * reader selects a column that is not there.
 */

/** Splits on commas outside parentheses: `a Nullable(Float64), b Array(String)`. */
function topLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** `name Type [DEFAULT ...]`: the name and the type as written (balanced parentheses). */
function column(definition: string): [string, string] {
  const match = /^`?(\w+)`?\s+(\w+(?:\([^()]*(?:\([^()]*\))?[^()]*\))?)/.exec(definition);
  if (!match) throw new Error(`cannot read the column definition "${definition}"`);
  return [match[1]!, match[2]!];
}

/** The body of `CREATE TABLE ... ( body ) ENGINE`: from the first parenthesis to its match. */
function createBody(statement: string): string {
  const open = statement.indexOf('(');
  let depth = 0;
  for (let i = open; i < statement.length; i++) {
    if (statement[i] === '(') depth++;
    else if (statement[i] === ')' && --depth === 0) return statement.slice(open + 1, i);
  }
  throw new Error(`unbalanced CREATE TABLE: ${statement.slice(0, 80)}`);
}

/** Every table's columns after all migrations, in order (ALTER TABLE ADD COLUMN appends, DROP removes). */
function migratedColumns(): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>();
  for (const m of loadMigrations('db')) {
    for (const statement of m.statements) {
      const create = /^CREATE TABLE IF NOT EXISTS db\.(\w+)\s*\(/i.exec(statement);
      if (create) {
        tables.set(create[1]!, new Map(topLevel(createBody(statement)).map(column)));
        continue;
      }
      const alter = /^ALTER TABLE db\.(\w+)\s+([\s\S]*)$/i.exec(statement);
      if (!alter) continue;
      const columns = tables.get(alter[1]!) ?? new Map<string, string>();
      tables.set(alter[1]!, columns);
      for (const change of topLevel(alter[2]!)) {
        const add = /^ADD COLUMN (?:IF NOT EXISTS )?([\s\S]*)$/i.exec(change);
        const drop = /^DROP COLUMN (?:IF EXISTS )?`?(\w+)`?/i.exec(change);
        const modify = /^MODIFY COLUMN (?:IF EXISTS )?([\s\S]*)$/i.exec(change);
        if (add || modify) columns.set(...column((add ?? modify)![1]!));
        else if (drop) columns.delete(drop[1]!);
      }
    }
  }
  return tables;
}

const MODULES: [string, Columns][] = [
  [PERFORMANCE_METRICS, PERFORMANCE_METRICS_COLUMNS],
  [DRIFT_METRICS, DRIFT_METRICS_COLUMNS],
  [PERFORMANCE_ESTIMATES, PERFORMANCE_ESTIMATES_COLUMNS],
  [ALERTS, ALERTS_COLUMNS],
  [RETRAIN_TRIGGERS, RETRAIN_TRIGGERS_COLUMNS],
  [INFERENCE_LOG, INFERENCE_LOG_COLUMNS],
  [GROUND_TRUTH, GROUND_TRUTH_COLUMNS],
  [LABELED_PREDICTIONS, LABELED_PREDICTIONS_COLUMNS],
  [JOIN_EXPIRATIONS, JOIN_EXPIRATIONS_COLUMNS],
];

describe('table modules', () => {
  const migrated = migratedColumns();

  it.each(MODULES)('shouldDeclareTheMigratedColumnsWhenTheTableIs %s', (table, declared) => {
    const columns = migrated.get(table);
    expect(columns, `no migration creates ${table}`).toBeDefined();
    expect(Object.fromEntries(columns!)).toEqual({ ...declared });
    // the order too: RowBinary inserts name the columns in the declared order, and a reader of SELECT * meets them so
    expect([...columns!.keys()]).toEqual(Object.keys(declared));
  });

  it('shouldReadAddedAndNullableColumnsWhenParsingTheMigrations', () => {
    // the parser itself: a column of a later ALTER TABLE, a nested type and a DEFAULT are all read
    const metrics = migrated.get(PERFORMANCE_METRICS)!;
    expect(metrics.get('baseline_source')).toBe('String');
    expect(metrics.get('figure_sd')).toBe('Nullable(Float64)');
    expect(migrated.get(ALERTS)!.get('evidence_scores')).toBe('Array(Float64)');
    expect(migrated.get(ALERTS)!.get('provisional')).toBe('UInt8');
  });
});

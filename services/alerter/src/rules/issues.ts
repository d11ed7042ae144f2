import type { z } from 'zod';
import { RULE_GROUPS } from './schema.ts';

type Path = readonly (string | number)[];

/** The value at a path of a plain JSON value, or undefined. */
function at(value: unknown, path: Path): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/** `rule performance.accuracy_drop: setting critical_pct` or `section retrain: setting min_interval`. */
function where(path: Path): { place: string; setting: string } {
  const [section, group, name, ...rest] = path.map(String);
  if (section === 'rules' && group !== undefined && name !== undefined) {
    return { place: `rule ${group}.${name}`, setting: rest.join('.') };
  }
  if (section === 'rules' && group !== undefined) return { place: `rule group ${group}`, setting: '' };
  return {
    place: `section ${section ?? '(top level)'}`,
    setting: [group, name, ...rest].filter(Boolean).join('.'),
  };
}

function got(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** One readable line per zod issue, naming where it is, the setting, what was expected and what came. */
export function describeIssue(issue: z.ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const inRules = issue.path.length === 1 && issue.path[0] === 'rules';
    const { place } = where(issue.path);
    const valid = inRules ? `; valid rule groups: ${Object.keys(RULE_GROUPS).join(', ')}` : '';
    return `${inRules ? 'section rules' : place}: unknown setting ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}${valid}`;
  }
  const { place, setting } = where(issue.path);
  const value = at(input, issue.path);
  const prefix = setting ? `${place}: setting ${setting}` : place;
  if (issue.code === 'invalid_type') {
    if (issue.received === 'undefined') return `${prefix}: missing (expected a ${issue.expected})`;
    return `${prefix}: expected a ${issue.expected}, got ${got(value)}`;
  }
  if (issue.code === 'invalid_union_discriminator') {
    return `${prefix}: expected one of ${issue.options.map(String).join(', ')}, got ${got(value)}`;
  }
  if (issue.code === 'invalid_enum_value') {
    return `${prefix}: expected one of ${issue.options.map(String).join(', ')}, got ${got(value)}`;
  }
  return `${prefix}: ${issue.message}, got ${got(value)}`;
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateTypes } from '../../../../services/core/src/records/codegen.ts';
import {
  SCHEMA_FILES,
  readSchema,
  type RecordName,
} from '../../../../services/core/src/records/schema-files.ts';

// Compared modulo formatting: prettier reflows the file and may open a long union with a leading `|`.
const squash = (s: string) => s.replace(/\s+/g, '').replace(/=\|/g, '=');

describe('generated record types', () => {
  it('shouldMatchTheAvscFiles (run `npm run gen:types` after a schema change)', () => {
    const names = Object.keys(SCHEMA_FILES) as RecordName[];
    const expected = generateTypes(names.map(readSchema));
    const committed = readFileSync(
      new URL('../../../../services/core/src/records/records.generated.ts', import.meta.url),
      'utf8',
    );
    expect(squash(committed)).toBe(squash(expected));
  });

  it('shouldMarkNullableFieldsWithDefaultsOptional', () => {
    const ts = generateTypes([readSchema('GroundTruthEvent')]);
    expect(ts).toContain('model_id?: null | string;');
    expect(ts).toContain('label: string | number;');
  });
});

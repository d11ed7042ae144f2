import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { generateTypes } from './codegen.ts';
import { SCHEMA_FILES, readSchema, type RecordName } from './schema-files.ts';

/** Writes records.generated.ts from the .avsc files: `npm run gen:types`. */
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'records.generated.ts');
const names = Object.keys(SCHEMA_FILES) as RecordName[];
writeFileSync(out, generateTypes(names.map(readSchema)));
console.log(`wrote ${out}`);

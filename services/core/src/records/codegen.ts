import type { AvroSchema } from './schema-files.ts';

/**
 * Turns Avro record schemas into TypeScript declarations, so the public types can never drift from the
 * .avsc files (a unit test regenerates and compares). Covers the Avro subset our schemas use.
 */
export function generateTypes(schemas: AvroSchema[]): string {
  const declared = new Map<string, string>();
  for (const schema of schemas) typeOf(schema, declared);
  const header =
    '// Generated from schemas/*.avsc by `npm run gen:types`. Do not edit by hand.\n' +
    '// Avro timestamp-millis fields are epoch milliseconds (number).\n';
  return header + [...declared.values()].join('\n');
}

function typeOf(schema: unknown, declared: Map<string, string>): string {
  if (typeof schema === 'string') return primitive(schema, declared);
  if (Array.isArray(schema)) return schema.map((s) => typeOf(s, declared)).join(' | ');
  const s = schema as AvroSchema & { type: unknown };
  switch (s.type) {
    case 'record':
      return declareRecord(s, declared);
    case 'enum': {
      const name = String(s.name);
      if (!declared.has(name)) {
        const symbols = (s.symbols as string[]).map((x) => `'${x}'`).join(' | ');
        declared.set(name, `export type ${name} = ${symbols};\n`);
      }
      return name;
    }
    case 'map':
      return `Record<string, ${typeOf(s.values, declared)}>`;
    case 'array': {
      const item = typeOf(s.items, declared);
      return item.includes('|') ? `Array<${item}>` : `${item}[]`;
    }
    default:
      return typeOf(s.type, declared);
  }
}

function declareRecord(s: AvroSchema, declared: Map<string, string>): string {
  const name = String(s.name);
  if (declared.has(name)) return name;
  declared.set(name, ''); // reserve the slot so nested types are declared after their parent
  const fields = (s.fields as AvroSchema[]).map((f) => {
    const type = typeOf(f.type, declared);
    const optional = Array.isArray(f.type) && (f.type as unknown[]).includes('null') && 'default' in f;
    const doc = typeof f.doc === 'string' ? `  /** ${f.doc} */\n` : '';
    return `${doc}  ${String(f.name)}${optional ? '?' : ''}: ${type};`;
  });
  const doc = typeof s.doc === 'string' ? `/** ${s.doc} */\n` : '';
  declared.set(name, `${doc}export interface ${name} {\n${fields.join('\n')}\n}\n`);
  return name;
}

function primitive(name: string, declared: Map<string, string>): string {
  const table: Record<string, string> = {
    null: 'null',
    boolean: 'boolean',
    int: 'number',
    long: 'number',
    float: 'number',
    double: 'number',
    string: 'string',
    bytes: 'Buffer',
  };
  const ts = table[name];
  if (ts !== undefined) return ts;
  if (declared.has(name)) return name;
  throw new Error(`codegen: unsupported Avro type '${name}'`);
}

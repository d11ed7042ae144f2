import avro from 'avsc';

/**
 * Fills absent record fields that have an Avro default, recursively through nested records, so a JSON value may
 * omit optional fields exactly as an Avro writer with an older schema may. Mutates and returns `value`.
 */
export function applyDefaults(type: avro.Type, value: unknown): unknown {
  if (!(type instanceof avro.types.RecordType) || value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  for (const field of type.fields) {
    if (record[field.name] === undefined) {
      const fallback = field.defaultValue();
      if (fallback !== undefined) record[field.name] = fallback;
    } else {
      record[field.name] = applyDefaults(field.type, record[field.name]);
    }
  }
  return record;
}

import { describe, expect, it } from 'vitest';
import { alertSelect, baseType, timeExpression } from '../../../services/report/src/alert-columns.ts';

const contractColumns = [
  { name: 'alert_id', type: 'String' },
  { name: 'model_id', type: 'String' },
  { name: 'model_version', type: 'String' },
  { name: 'kind', type: "Enum8('PERFORMANCE' = 1, 'DATA_DRIFT' = 2)" },
  { name: 'severity', type: 'LowCardinality(String)' },
  { name: 'status', type: 'String' },
  { name: 'window_start', type: 'DateTime' },
  { name: 'window_end', type: 'DateTime' },
  { name: 'metric', type: 'String' },
  { name: 'value', type: 'Float64' },
  { name: 'threshold', type: 'Nullable(Float64)' },
  { name: 'message', type: 'String' },
  { name: 'created_at', type: 'Nullable(DateTime)' },
];

describe('alertSelect', () => {
  it('shouldReadEveryContractFieldWhenTheTableHasThem', () => {
    const s = alertSelect(contractColumns);
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.columns).toContain('toString(kind) AS kind');
    expect(s.columns).toContain('toUInt64(toUnixTimestamp(window_start)) * 1000 AS window_start_ms');
    expect(s.columns).toContain('toFloat64(threshold) AS threshold');
    expect(s.columns).toMatch(
      /if\(ifNull\(toUInt64\(toUnixTimestamp\(created_at\)\) \* 1000, 0\) = 0, .* AS at_ms/,
    );
    expect(s.end).toBe('toUInt64(toUnixTimestamp(window_end)) * 1000');
  });

  it('shouldUseMillisecondColumnsAndDefaultsWhenFieldsAreMissing', () => {
    const s = alertSelect([
      { name: 'model_id', type: 'String' },
      { name: 'window_start_ms', type: 'UInt64' },
    ]);
    expect(s).toMatchObject({
      ok: true,
      start: 'toUInt64(window_start_ms)',
      end: 'toUInt64(window_start_ms)',
    });
    if (!s.ok) return;
    expect(s.columns).toContain("'' AS message");
    expect(s.columns).toContain('CAST(NULL AS Nullable(Float64)) AS value');
    expect(s.columns).toContain('toUInt64(window_start_ms) AS at_ms');
  });

  it('shouldExplainWhenTheTableCannotBeFilteredByModelOrTime', () => {
    expect(alertSelect([{ name: 'window_start', type: 'DateTime' }])).toEqual({
      ok: false,
      problem: 'it has no model_id column',
    });
    expect(alertSelect([{ name: 'model_id', type: 'String' }])).toEqual({
      ok: false,
      problem: 'it has no window_start column',
    });
  });
});

describe('timeExpression', () => {
  it('shouldConvertEachTimeTypeToEpochMilliseconds', () => {
    expect(timeExpression({ name: 't', type: "DateTime('UTC')" })).toBe(
      'toUInt64(toUnixTimestamp(t)) * 1000',
    );
    expect(timeExpression({ name: 't', type: 'DateTime64(3)' })).toBe('toUInt64(toUnixTimestamp64Milli(t))');
    expect(timeExpression({ name: 't', type: 'Int64' })).toBe('toUInt64(t)');
    expect(timeExpression({ name: 't', type: 'String' })).toBeNull();
  });

  it('shouldUnwrapNullableAndLowCardinalityWhenReadingTheBaseType', () => {
    expect(baseType('Nullable(LowCardinality(String))')).toBe('String');
  });
});

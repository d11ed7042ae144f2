import { describe, expect, it } from 'vitest';
import { featureCondition } from '../../../services/mcp/src/tools/inference-sample.ts';
import { accuracySql } from '../../../services/mcp/src/tools/model-accuracy.ts';
import { numberLiteral } from '../../../services/mcp/src/sql.ts';
import { windowOf } from '../../../services/mcp/src/tool-args.ts';

describe('tool SQL', () => {
  it('shouldQuoteEveryStringArgumentWhenBuildingSql', () => {
    const sql = accuracySql(
      'db',
      {
        model_id: "m' OR 1=1 --",
        metric: "a\\'b",
        segment: '',
        limit: 10,
        model_version: undefined,
      } as never,
      { fromMs: 0, toMs: 1 },
    );
    expect(sql).toContain("model_id = 'm\\' OR 1=1 --'");
    expect(sql).toContain("metric = 'a\\\\\\'b'");
    expect(sql).toContain('LIMIT 10');
  });

  it('shouldGuardAMissingFeatureWithHasBeforeReadingItsValue', () => {
    expect(featureCondition({ name: 'age', min: 1.5 })).toBe(
      "AND has(num_feature_names, 'age') AND num_feature_values[indexOf(num_feature_names, 'age')] >= 1.5 ",
    );
  });

  it('shouldRefuseNonFiniteNumbersAsLiterals', () => {
    expect(() => numberLiteral(Number.NaN)).toThrow(/finite/);
    expect(numberLiteral(-2.5e-7)).toBe('-2.5e-7');
  });

  it('shouldReadTheWindowAsTheReportDoesAndNameTheFormatsWhenItCannot', () => {
    const now = Date.UTC(2026, 0, 2);
    expect(windowOf({ from: '24h' }, now)).toEqual({ fromMs: now - 86_400_000, toMs: now });
    expect(() => windowOf({ from: 'soon' }, now)).toThrow(/expected an ISO-8601 time/);
  });
});

import { describe, expect, it } from 'vitest';
import { featureCondition } from '../../../services/mcp/src/tools/inference-sample.ts';
import { accuracySql } from '../../../services/mcp/src/tools/model-accuracy.ts';
import { numberLiteral } from '../../../services/mcp/src/sql.ts';
import { windowOf, windowSize } from '../../../services/mcp/src/tool-args.ts';
import { ToolInputError } from '../../../services/mcp/src/errors.ts';
import { z } from 'zod';

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

describe('tool arguments', () => {
  it('shouldFilterWindowSizesInTheCoreNormalFormWhenGivenAnyDurationSpelling', () => {
    const size = z.object({ window_size: windowSize });
    expect(size.parse({ window_size: '60m' })).toEqual({ window_size: '1h' });
    expect(size.parse({ window_size: '3600s' })).toEqual({ window_size: '1h' });
    expect(size.parse({ window_size: ' 5m ' })).toEqual({ window_size: '5m' });
    expect(size.parse({ window_size: 'last_1000' })).toEqual({ window_size: 'last_1000' });
    expect(size.parse({})).toEqual({});
  });

  it('shouldNameTheArgumentAndTheFormatsWhenTheRangeIsUnreadable', () => {
    expect(() => windowOf({ from: 'soon' }, 0)).toThrow(ToolInputError);
    expect(() => windowOf({ from: 'soon' }, 0)).toThrow(/^from "soon": expected an ISO-8601 time/);
  });
});

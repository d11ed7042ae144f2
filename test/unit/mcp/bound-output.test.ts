import { describe, expect, it } from 'vitest';
import { boundOutput } from '../../../services/mcp/src/bound-output.ts';

describe('boundOutput', () => {
  it('shouldLeaveAResultThatFitsUnchanged', () => {
    const result = { rows: [1, 2, 3], model: 'm' };
    expect(boundOutput(result, 1000)).toBe(result);
  });

  it('shouldCutTheLongestListToTheMostItemsThatFitAndSaySoWhenTooLarge', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: `row-${i}`, value: i }));
    const out = boundOutput({ model: 'm', short: [1], rows }, 500);
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(500);
    const kept = (out.rows as unknown[]).length;
    expect(out.truncated).toEqual({ list: 'rows', kept, of: 100 });
    expect(out.rows).toEqual(rows.slice(0, kept));
    // One more item would not have fitted.
    const oneMore = {
      ...out,
      rows: rows.slice(0, kept + 1),
      truncated: { list: 'rows', kept: kept + 1, of: 100 },
    };
    expect(JSON.stringify(oneMore).length).toBeGreaterThan(500);
  });

  it('shouldCutAListOneLevelDownWhenThatIsTheLongest', () => {
    const columns = Array.from({ length: 50 }, (_, i) => ({ feature: `f${i}` }));
    const out = boundOutput({ window: { start: 'x', columns } }, 300);
    expect((out.truncated as { list: string }).list).toBe('window.columns');
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(300);
  });

  it('shouldMirrorTheDocumentedExample', () => {
    const x = 'x'.repeat(40);
    expect(boundOutput({ rows: [x, x, x] }, 100)).toEqual({
      rows: [x],
      truncated: { list: 'rows', kept: 1, of: 3 },
    });
  });
});

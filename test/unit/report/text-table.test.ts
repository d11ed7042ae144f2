import { describe, expect, it } from 'vitest';
import { renderTextTable } from '../../../services/report/src/text-table.ts';

describe('renderTextTable', () => {
  it('shouldMatchItsDocExample', () => {
    expect(renderTextTable([{ header: 'a' }, { header: 'n', align: 'right' }], [['x', '10']])).toBe(
      'a   n\n-  --\nx  10',
    );
  });

  it('shouldCutLongCellsAndFlattenNewlinesWhenACellIsTooWide', () => {
    const out = renderTextTable([{ header: 'message', maxWidth: 8 }], [['line one\nline two']]);
    expect(out.split('\n')[2]).toBe('line on…');
  });

  it('shouldPadMissingCellsWhenARowIsShort', () => {
    expect(renderTextTable([{ header: 'a' }, { header: 'b' }], [['1']]).split('\n')).toEqual([
      'a  b',
      '-  -',
      '1',
    ]);
  });
});

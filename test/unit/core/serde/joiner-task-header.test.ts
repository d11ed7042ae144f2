import { describe, expect, it } from 'vitest';
import {
  decodeJoinerTask,
  encodeJoinerTask,
  UNNAMED_JOINER_TASK,
} from '../../../../services/core/src/serde/joiner-task-header.ts';

describe('the joiner task header', () => {
  it('shouldReadTheTaskAndTaskCountTheJoinerWrote', () => {
    expect(decodeJoinerTask(encodeJoinerTask(3, 6))).toEqual({ task: '3', taskCount: 6 });
    expect(decodeJoinerTask([Buffer.from('0/1')])).toEqual({ task: '0', taskCount: 1 });
  });

  it.each([undefined, '', '3', '6/6', '-1/6', 'a/6', '1/99999', '1/10001', ' 1/6', '1/6/7'])(
    'shouldGivePairsWithoutAUsableHeaderTheUnnamedTaskWhenTheHeaderIs %j',
    (value) => {
      expect(decodeJoinerTask(value)).toEqual(UNNAMED_JOINER_TASK);
    },
  );
});

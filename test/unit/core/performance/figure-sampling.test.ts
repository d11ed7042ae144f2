import { describe, expect, it } from 'vitest';
import {
  ClassificationState,
  figureSampling,
  hanleyMcNeilSe,
  RegressionState,
} from '../../../../services/core/src/performance/index.ts';

describe('figureSampling', () => {
  it('shouldCountEachFiguresOwnDenominatorWhenClassifying', () => {
    const s = new ClassificationState().update('a', 'a').update('a', 'b').update('b', 'a').update('b', 'a');
    const f = figureSampling(s);
    expect(f.get('accuracy')).toEqual({ count: 4 });
    expect(f.get('recall:a')).toEqual({ count: 2 });
    expect(f.get('recall:b')).toEqual({ count: 2 });
    expect(f.get('precision:a')).toEqual({ count: 3 });
    expect(f.get('precision:b')).toEqual({ count: 1 });
  });

  it('shouldGiveTheSampleSdOfAbsoluteErrorsWhenRegressing', () => {
    const s = new RegressionState().update(0, 1).update(0, -3).update(0, 2);
    const f = figureSampling(s).get('mae');
    expect(f?.count).toBe(3);
    // |e| = 1, 3, 2: sd (ddof 1) = 1
    expect(f?.sd).toBeCloseTo(1, 12);
  });

  it('shouldLeaveTheSdOutWhenOneSampleCannotHaveOne', () => {
    expect(figureSampling(new RegressionState().update(1, 2)).get('mae')).toEqual({ count: 1 });
  });

  it('shouldGiveABinaryRocAucItsHanleyMcNeilErrorTimesTheRootOfItsCount', () => {
    const s = new ClassificationState();
    const scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2];
    const truths = ['y', 'y', 'n', 'y', 'n', 'y', 'n', 'n'];
    scores.forEach((p, i) => s.update(truths[i]!, p >= 0.5 ? 'y' : 'n', { y: p, n: 1 - p }));
    const auc = figureSampling(s).get('roc_auc');
    // AUC 13/16 (13 of the 16 positive-negative pairs ordered), 4 positives, 4 negatives.
    expect(auc?.count).toBe(8);
    expect(auc!.sd! / Math.sqrt(8)).toBeCloseTo(hanleyMcNeilSe(13 / 16, 4, 4), 9);
  });
});

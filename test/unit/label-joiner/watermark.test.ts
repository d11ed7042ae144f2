import { describe, expect, it } from 'vitest';
import { advance, IdleTracker, NO_WATERMARK, observe } from '../../../services/label-joiner/src/watermark.ts';

const active = { predictions: false, labels: false };

describe('watermark', () => {
  it('shouldMatchTheDocumentedExample', () => {
    expect(advance({ predictions: 500, labels: 200, watermark: 100 }, active)).toEqual({
      predictions: 500,
      labels: 200,
      watermark: 200,
    });
  });

  it('shouldStayUnsetUntilBothSidesWereSeenWhenNeitherIsIdle', () => {
    const s = advance(observe(NO_WATERMARK, 'predictions', 1000), active);
    expect(s.watermark).toBe(-Infinity);
  });

  it('shouldFollowTheOtherSideWhenOneSideIsIdle', () => {
    const s = advance(observe(NO_WATERMARK, 'predictions', 1000), { predictions: false, labels: true });
    expect(s.watermark).toBe(1000);
  });

  it('shouldNeverGoBackWhenASlowerSideCatchesUp', () => {
    const s = advance({ predictions: 1000, labels: 50, watermark: 900 }, active);
    expect(s.watermark).toBe(900);
    expect(observe(s, 'labels', 10).labels).toBe(50);
  });

  it('shouldTakeTheLargestWhenBothSidesAreIdle', () => {
    expect(
      advance({ predictions: 3, labels: 7, watermark: 0 }, { predictions: true, labels: true }).watermark,
    ).toBe(7);
  });
});

describe('IdleTracker', () => {
  it('shouldCallASideIdleOnlyWhenCaughtUpAndSilentLongEnough', () => {
    let now = 0;
    const t = new IdleTracker(1000, () => now);
    t.onBatch('labels', false);
    t.onBatch('predictions', true);
    now = 999;
    expect(t.idle()).toEqual({ predictions: false, labels: false });
    now = 1000;
    expect(t.idle()).toEqual({ predictions: true, labels: false });
    t.onBatch('labels', true);
    now = 2000;
    expect(t.idle()).toEqual({ predictions: true, labels: true });
  });

  it('shouldCallASideWithoutAnyBatchIdleAfterTheTimeout', () => {
    let now = 0;
    const t = new IdleTracker(500, () => now);
    now = 500;
    expect(t.idle().labels).toBe(true);
  });
});

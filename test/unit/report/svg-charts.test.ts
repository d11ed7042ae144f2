import { describe, expect, it } from 'vitest';
import { heatmapChart, lineChart, linePath, timelineChart } from '../../../services/report/src/svg-charts.ts';
import { heatColor } from '../../../services/report/src/svg-heatmap.ts';
import { linearScale, niceTicks, timeTickLabel, timeTicks } from '../../../services/report/src/svg-scale.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');

/** Every `attr="number"` of every element matching `tag.mark`, as numbers. */
function marks(svg: string, tag: string): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag} class="mark[^"]*"([^>]*)>`, 'g'))) {
    const attrs: Record<string, number> = {};
    for (const a of m[1]!.matchAll(/ ([a-z-]+)="(-?[\d.]+)"/g)) attrs[a[1]!] = Number(a[2]);
    out.push(attrs);
  }
  return out;
}

describe('scales and ticks', () => {
  it('shouldMapTheDomainOntoTheRangeAndAnEmptyDomainToTheMiddle', () => {
    const y = linearScale([0, 1], [200, 50]);
    expect([y(0), y(0.5), y(1)]).toEqual([200, 125, 50]);
    expect(linearScale([3, 3], [0, 10])(3)).toBe(5);
  });

  it('shouldChooseRoundTicksThatCoverTheData', () => {
    expect(niceTicks(0.8061, 0.9149, 4)).toEqual({ domain: [0.8, 0.95], ticks: [0.8, 0.85, 0.9, 0.95] });
    expect(niceTicks(0, 0.5, 4).ticks).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(2, 2, 4).domain[0]).toBeLessThan(2);
    expect(niceTicks(NaN, 1).ticks).toEqual([0, 0.5, 1]);
  });

  it('shouldPlaceTimeTicksOnWholeUtcHoursWithinTheLimit', () => {
    const { ticks, stepMs } = timeTicks(T0 + 600_000, T0 + 24 * H, 8);
    expect(stepMs).toBe(3 * H);
    expect(ticks[0]).toBe(T0 + 3 * H);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(timeTickLabel(T0 + 3 * H, stepMs)).toBe('03-01 03:00');
    expect(timeTickLabel(T0, 86_400_000)).toBe('03-01');
  });
});

describe('lineChart', () => {
  const spec = {
    title: 'accuracy',
    xDomain: [T0, T0 + 4 * H] as [number, number],
    series: [
      {
        name: 'v1',
        color: '#111',
        points: [0, 1, 2, 3].map((h) => ({ x: T0 + h * H + H / 2, y: 0.9 - h * 0.05 })),
      },
      { name: 'v2', color: '#222', points: [{ x: T0 + 3.5 * H, y: 0.9 }] },
    ],
  };

  it('shouldDrawOnePathPerSeriesAndOneCirclePerPointInsideThePlot', () => {
    const svg = lineChart(spec);
    expect(svg).toMatch(/^<svg [^>]*data-chart="line"/);
    expect(marks(svg, 'path')).toHaveLength(2);
    const circles = marks(svg, 'circle');
    expect(circles).toHaveLength(5);
    for (const c of circles) {
      expect(c.cx).toBeGreaterThanOrEqual(56);
      expect(c.cx).toBeLessThanOrEqual(560 - 36);
      expect(c.cy).toBeGreaterThanOrEqual(50);
      expect(c.cy).toBeLessThanOrEqual(240 - 34);
    }
    // Falling accuracy draws downwards: SVG y grows as the value falls.
    const ys = circles.slice(0, 4).map((c) => c.cy!);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('shouldBuildPathDataFromTheScales', () => {
    const x = linearScale([0, 10], [0, 100]);
    const y = linearScale([0, 1], [100, 0]);
    expect(
      linePath(
        [
          { x: 0, y: 0 },
          { x: 5, y: 0.5 },
          { x: 10, y: 1 },
        ],
        x,
        y,
      ),
    ).toBe('M0 100 L50 50 L100 0');
  });

  it('shouldSayNoDataWhenThereAreNoFinitePoints', () => {
    const svg = lineChart({ ...spec, series: [{ name: 'v1', color: '#111', points: [{ x: T0, y: NaN }] }] });
    expect(svg).toContain('data-empty="true"');
    expect(svg).toContain('no data in this range');
    expect(marks(svg, 'path')).toHaveLength(0);
  });
});

describe('heatmapChart', () => {
  const cells = [0, 1].flatMap((row) =>
    [0, 1, 2].map((col) => ({
      row,
      startMs: T0 + col * H,
      endMs: T0 + (col + 1) * H,
      score: col,
      drifted: col === 2,
      label: `<f${row}> ${col}`,
    })),
  );

  it('shouldDrawOneRectanglePerCellOnTheTimeAxisWhenWindowsAreContiguous', () => {
    const svg = heatmapChart({
      title: 'drift',
      rows: ['age', 'income'],
      cells,
      xDomain: [T0, T0 + 3 * H],
      width: 400,
    });
    const rects = marks(svg, 'rect');
    expect(rects).toHaveLength(6);
    for (const r of rects) {
      expect(r.width).toBeGreaterThan(0);
      expect(r.height).toBe(18);
    }
    const row0 = rects.slice(0, 3);
    expect(row0[1]!.x! - row0[0]!.x!).toBeCloseTo(row0[2]!.x! - row0[1]!.x!, 1);
    expect(rects[3]!.y! - rects[0]!.y!).toBe(20);
    expect(svg).toContain('&lt;f0&gt; 0');
    expect(svg).not.toContain('<f0>');
  });

  it('shouldColourByVerdictThenScore', () => {
    expect(heatColor(0, false)).toBe('rgb(232,241,250)');
    expect(heatColor(1, true)).toBe('rgb(252,141,89)');
    expect(heatColor(3, true)).toBe('rgb(153,0,13)');
    expect(heatColor(9, true)).toBe('rgb(153,0,13)');
    // A drifted verdict below the raw threshold (after correction) still reads as drift.
    expect(heatColor(0.5, true)).toBe(heatColor(1, true));
  });

  it('shouldSkipCellsOutsideTheRowsAndSayNoResultsWhenNoneRemain', () => {
    const svg = heatmapChart({ title: 'drift', rows: [], cells, xDomain: [T0, T0 + 3 * H] });
    expect(svg).toContain('data-empty="true"');
  });
});

describe('timelineChart', () => {
  it('shouldDrawABarAndADotPerEventWithAVisibleMinimumWidth', () => {
    const svg = timelineChart({
      title: 'alerts',
      lanes: ['PERFORMANCE', 'LATENCY'],
      xDomain: [T0, T0 + 24 * H],
      items: [
        { lane: 0, startMs: T0, endMs: T0 + H, atMs: T0 + H, color: '#f00', label: 'a' },
        {
          lane: 1,
          startMs: T0 + 5 * H,
          endMs: T0 + 5 * H,
          atMs: T0 + 5 * H,
          color: '#00f',
          faded: true,
          label: 'b',
        },
        { lane: 7, startMs: T0, endMs: T0, atMs: T0, color: '#0f0', label: 'no such lane' },
      ],
    });
    const bars = marks(svg, 'rect');
    expect(bars).toHaveLength(2);
    expect(bars[1]!.width).toBe(4);
    expect(bars[1]!['fill-opacity']).toBe(0.35);
    expect(marks(svg, 'circle')).toHaveLength(2);
    expect(bars[1]!.y! - bars[0]!.y!).toBe(26);
  });

  it('shouldSayNoAlertsWhenThereAreNone', () => {
    expect(timelineChart({ title: 'a', lanes: [], items: [], xDomain: [T0, T0 + H] })).toContain(
      'no alerts in this range',
    );
  });
});

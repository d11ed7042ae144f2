/**
 * The peer benchmark's printed results: the timing table with each peer's ratio to ours, and how far the
 * statistics of each peer are from ours where both compute the same quantity.
 */
import { CATEGORICAL, NUMERIC } from './data.ts';

/** What one side's process prints (ours.ts or peers.py), plus the wall time of its whole process. */
export interface SideResult {
  side: string;
  load: { cpu: number; wall: number };
  compute: { cpu: number; wall: number };
  process: { cpu: number };
  wall: number;
  windows: { columns: Record<string, { rows: Record<string, [number | null, number | null]> }> }[];
}

const seconds = (s: number) => s.toFixed(2).padStart(7);
const times = (peer: number, ours: number) => `${(peer / ours).toFixed(2)}x`.padStart(8);

/** One line per side: compute and whole-process times, and the peer's time over ours. */
export function timingTable(results: SideResult[]): string[] {
  const ours = results.find((r) => r.side === 'ours');
  const lines = [
    '| side | compute CPU s | compute wall s | whole process CPU s | whole process wall s | compute CPU ÷ ours | whole process wall ÷ ours |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const ratios = ours ? [times(r.compute.cpu, ours.compute.cpu), times(r.wall, ours.wall)] : ['', ''];
    lines.push(
      `| ${r.side} | ${seconds(r.compute.cpu)} | ${seconds(r.compute.wall)} | ${seconds(r.process.cpu)} | ${seconds(r.wall)} | ${ratios.join(' | ')} |`,
    );
  }
  return lines;
}

interface Comparison {
  peer: string;
  method: string;
  columns: readonly string[];
  /** multiplies the peer's statistic onto our scale */
  scale?: number;
  note: string;
}

/** The quantities both sides compute the same way (or as bounded approximations of one another). */
const COMPARISONS: Comparison[] = [
  {
    peer: 'scipy',
    method: 'ks',
    columns: NUMERIC,
    note: 'ks_2samp exact; ours binned (a 100,000-value window keeps no raw values), statistic a lower bound',
  },
  {
    peer: 'scipy',
    method: 'chi2',
    columns: CATEGORICAL,
    note: 'chisquare against reference shares: same test',
  },
  {
    peer: 'nannyml',
    method: 'ks',
    columns: NUMERIC,
    note: "NannyML's KS on binned reference (> 10,000 rows)",
  },
  {
    peer: 'nannyml',
    method: 'jensen_shannon',
    columns: CATEGORICAL,
    note: 'category frequencies: same test',
  },
  {
    peer: 'evidently',
    method: 'wasserstein',
    columns: NUMERIC,
    note: 'exact on samples vs ours from bin means (both normed by the reference std)',
  },
  {
    peer: 'evidently',
    method: 'jensen_shannon',
    columns: CATEGORICAL,
    scale: 1 / Math.sqrt(Math.LN2),
    note: 'Evidently uses natural logs, ours base 2: scaled by 1/√ln 2',
  },
];

function maxDifference(ours: SideResult, peer: SideResult, c: Comparison, index: 0 | 1): number | null {
  let max: number | null = null;
  for (const [i, w] of peer.windows.entries()) {
    for (const column of c.columns) {
      const theirs = w.columns[column]?.rows[c.method]?.[index];
      const mine = ours.windows[i]?.columns[column]?.rows[c.method]?.[index];
      if (typeof theirs !== 'number' || typeof mine !== 'number') continue;
      const d = Math.abs(theirs * (index === 0 ? (c.scale ?? 1) : 1) - mine);
      max = Math.max(max ?? 0, d);
    }
  }
  return max;
}

/** Max |peer − ours| of each shared statistic (and p-value, where the peer gives one) over every window. */
export function agreementTable(results: SideResult[]): string[] {
  const ours = results.find((r) => r.side === 'ours');
  if (!ours) return [];
  const lines = [
    '| peer | test | columns | max abs diff statistic | max abs diff p-value | note |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of COMPARISONS) {
    const peer = results.find((r) => r.side === c.peer);
    if (!peer) continue;
    const [statistic, p] = ([0, 1] as const).map((i) => maxDifference(ours, peer, c, i));
    const show = (d: number | null | undefined) => (d === null || d === undefined ? '-' : d.toExponential(2));
    const kind = c.columns === NUMERIC ? 'numeric' : 'categorical';
    lines.push(`| ${c.peer} | ${c.method} | ${kind} | ${show(statistic)} | ${show(p)} | ${c.note} |`);
  }
  return lines;
}

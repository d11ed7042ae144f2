/**
 * The peer benchmark's data: 22 feature columns (17 numeric, 5 categorical), a reference of 100,000 rows and
 * ten windows of 100,000 rows, seeded, written once as CSV so that every side reads the same numbers. Column
 * `window` is 0 for the reference and 1..10 for the windows. From window 6 on three columns change: x0's mean
 * moves by 0.5 sd, x1's spread grows by half, and c0's shares move.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { mulberry32, normalGenerator } from '../../services/core/src/stats/random.ts';

export const ROWS_PER_CHUNK = 100_000;
export const WINDOWS = 10;
export const NUMERIC = Array.from({ length: 17 }, (_, i) => `x${i}`);
export const CATEGORICAL = Array.from({ length: 5 }, (_, i) => `c${i}`);
/** The first window in which x0, x1 and c0 have changed. */
export const CHANGE_FROM = 6;
const SEED = 20261202;

/** Category sets and their shares before the change; c0's shares after it are CHANGED_C0. */
const LEVELS: readonly (readonly string[])[] = [
  ['red', 'green', 'blue'],
  ['a', 'b'],
  ['north', 'south', 'east', 'west'],
  Array.from({ length: 8 }, (_, i) => `plan${i}`),
  Array.from({ length: 20 }, (_, i) => `shop${i}`),
];
const CHANGED_C0 = [0.45, 0.4, 0.15];

function sharesOf(k: number): number[] {
  // Unequal shares (k, k-1, ..., 1) normalised: a realistic long tail.
  const raw = Array.from({ length: k }, (_, i) => k - i);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((r) => r / sum);
}

function pick(levels: readonly string[], shares: readonly number[], u: number): string {
  let acc = 0;
  for (let i = 0; i < levels.length; i++) {
    acc += shares[i] as number;
    if (u < acc) return levels[i] as string;
  }
  return levels[levels.length - 1] as string;
}

/** One CSV line of a row of chunk `chunk` (0 = reference). */
function rowMaker(): (chunk: number) => string {
  const rng = mulberry32(SEED);
  const normal = normalGenerator(rng);
  const shares = LEVELS.map((l) => sharesOf(l.length));
  return (chunk) => {
    const changed = chunk >= CHANGE_FROM;
    const cells: string[] = [String(chunk)];
    for (let i = 0; i < NUMERIC.length; i++) {
      let v: number;
      if (i % 3 === 0) v = 50 + 10 * normal();
      else if (i % 3 === 1) v = Math.exp(1 + 0.5 * normal());
      else v = 100 * rng();
      if (changed && i === 0) v += 5;
      if (changed && i === 1) v = Math.exp(1 + 0.75 * normal());
      cells.push(v.toFixed(4));
    }
    LEVELS.forEach((levels, c) => {
      cells.push(pick(levels, changed && c === 0 ? CHANGED_C0 : (shares[c] as number[]), rng()));
    });
    return cells.join(',');
  };
}

/** The data file's path under the checkout's git-ignored data folder. */
export function dataPath(repo: string): string {
  return path.join(repo, '.infra-data', 'bench', `peers-${SEED}-${ROWS_PER_CHUNK}x${WINDOWS + 1}.csv`);
}

/** Writes the data file unless it is already there (written to a temporary name, then renamed). */
export async function ensureData(file: string): Promise<boolean> {
  if (existsSync(file)) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(partial);
  const row = rowMaker();
  out.write(['window', ...NUMERIC, ...CATEGORICAL].join(',') + '\n');
  for (let chunk = 0; chunk <= WINDOWS; chunk++) {
    const lines: string[] = [];
    for (let r = 0; r < ROWS_PER_CHUNK; r++) lines.push(row(chunk));
    if (!out.write(lines.join('\n') + '\n'))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  renameSync(partial, file);
  return true;
}

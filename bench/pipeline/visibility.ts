// When each row became visible in ClickHouse: a poller that asks, every `intervalMs`, for the rows of the table
// parts it has not read yet, and notes the time of the asking for each new prediction id. An insert is one new
// part, visible at once and whole; a merge replaces parts by one covering their block numbers. So a poll lists
// the active parts (ClickHouse's part list, no table data) and reads only those holding a block not read before:
// each poll reads what was inserted since the last one, not the whole table (a scan of every row 10 times a
// second grew with the run to most of ClickHouse's work). A part counts as read only once a poll returned rows
// of it, so a part merged away between the listing and the read is read again in the part that replaced it.
import type { ClickHouseClient } from '@clickhouse/client';

/** First-seen wall times (performance.now()) of prediction ids in each polled table. */
export type SeenTimes = Map<string, Map<string, number>>;

/** Block numbers read so far, as sorted disjoint ranges; adjacent ranges are joined. */
export class BlockRanges {
  private ranges: [number, number][] = [];

  covers(lo: number, hi: number): boolean {
    return this.ranges.some(([a, b]) => a <= lo && hi <= b);
  }

  add(lo: number, hi: number): void {
    const all = [...this.ranges, [lo, hi] as [number, number]].sort((x, y) => x[0] - y[0]);
    const out: [number, number][] = [];
    for (const [a, b] of all) {
      const last = out[out.length - 1];
      if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }
    this.ranges = out;
  }
}

interface Part {
  t: string;
  name: string;
  lo: number | string;
  hi: number | string;
}

export class VisibilityPoller {
  readonly seen: SeenTimes;
  private readonly read = new Map<string, BlockRanges>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  /** Polls taken and the slowest one (ms): the figures' time resolution. */
  polls = 0;
  failedPolls = 0;
  slowestPollMs = 0;
  /** Rows the polls returned (new rows, and the earlier rows of merged parts holding a block not read before). */
  rowsRead = 0;

  constructor(
    private readonly ch: ClickHouseClient,
    private readonly tables: readonly string[],
    private readonly intervalMs = 100,
  ) {
    this.seen = new Map(tables.map((t) => [t, new Map()]));
    for (const t of tables) this.read.set(t, new BlockRanges());
  }

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const began = performance.now();
        await this.poll(began).catch(() => this.failedPolls++);
        const took = performance.now() - began;
        this.polls++;
        this.slowestPollMs = Math.max(this.slowestPollMs, took);
        await new Promise((r) => setTimeout(r, Math.max(0, this.intervalMs - took)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** The part list, then one query (UNION ALL) over the parts not read yet; the time noted is the poll's start. */
  private async poll(at: number): Promise<void> {
    const names = this.tables.map((t) => `'${t}'`).join(', ');
    const parts = (await (
      await this.ch.query({
        query: `SELECT table AS t, name, min_block_number AS lo, max_block_number AS hi FROM system.parts
                WHERE database = currentDatabase() AND table IN (${names}) AND active`,
        format: 'JSONEachRow',
      })
    ).json()) as Part[];
    const unread = parts.filter((p) => !this.read.get(p.t)!.covers(Number(p.lo), Number(p.hi)));
    if (unread.length === 0) return;
    const byTable = new Map<string, Part[]>();
    for (const p of unread) byTable.set(p.t, [...(byTable.get(p.t) ?? []), p]);
    const query = [...byTable]
      .map(
        ([t, ps]) =>
          `SELECT '${t}' AS t, _part AS part, prediction_id AS id FROM ${t} WHERE _part IN (${ps.map((p) => `'${p.name}'`).join(', ')})`,
      )
      .join(' UNION ALL ');
    const rows = (await (await this.ch.query({ query, format: 'JSONEachRow' })).json()) as {
      t: string;
      part: string;
      id: string;
    }[];
    const returned = new Set<string>();
    for (const { t, part, id } of rows) {
      const seen = this.seen.get(t)!;
      if (!seen.has(id)) seen.set(id, at);
      returned.add(`${t}/${part}`);
    }
    this.rowsRead += rows.length;
    for (const p of unread)
      if (returned.has(`${p.t}/${p.name}`)) this.read.get(p.t)!.add(Number(p.lo), Number(p.hi));
  }
}

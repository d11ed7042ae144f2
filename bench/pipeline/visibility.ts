// When each row became visible in ClickHouse: a poller that asks, every `intervalMs`, for the rows past what it has
// already seen, and notes the time of the asking for each new prediction id. The sink inserts each partition's
// rows in offset order (batch, insert, commit), so "past what was seen" is a per-partition offset frontier;
// rows inserted out of that order would show up as missing in the coverage, never as a wrong time.
import type { ClickHouseClient } from '@clickhouse/client';

/** First-seen wall times (performance.now()) of prediction ids in each polled table. */
export type SeenTimes = Map<string, Map<string, number>>;

export class VisibilityPoller {
  readonly seen: SeenTimes;
  private readonly frontier = new Map<string, Map<number, number>>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  /** Polls taken and the slowest one (ms): the figures' time resolution. */
  polls = 0;
  failedPolls = 0;
  slowestPollMs = 0;

  constructor(
    private readonly ch: ClickHouseClient,
    private readonly tables: readonly string[],
    private readonly intervalMs = 100,
  ) {
    this.seen = new Map(tables.map((t) => [t, new Map()]));
    for (const t of tables) this.frontier.set(t, new Map());
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

  /** One query over every table (UNION ALL), each filtered to offsets past its frontier. */
  private async poll(at: number): Promise<void> {
    const query = this.tables
      .map((t) => {
        const past = [...this.frontier.get(t)!].map(([p, o]) => `source_partition = ${p}, ${o}`);
        const bound = past.length ? `multiIf(${past.join(', ')}, -1)` : '-1';
        return `SELECT '${t}' AS t, prediction_id AS id, source_partition AS p, toInt64(source_offset) AS o FROM ${t} WHERE toInt64(source_offset) > ${bound}`;
      })
      .join(' UNION ALL ');
    const rows = (await (await this.ch.query({ query, format: 'JSONEachRow' })).json()) as {
      t: string;
      id: string;
      p: number;
      o: string;
    }[];
    for (const { t, id, p, o } of rows) {
      const seen = this.seen.get(t)!;
      if (!seen.has(id)) seen.set(id, at);
      const frontier = this.frontier.get(t)!;
      frontier.set(p, Math.max(frontier.get(p) ?? -1, Number(o)));
    }
  }
}

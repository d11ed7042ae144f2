import { readFileSync } from 'node:fs';

/** Samples the resident set size of processes from /proc (Linux) and keeps each one's peak. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: () => Record<string, number | undefined>,
    everyMs = 500,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Peak RSS per name, in MiB. */
  peaksMiB(): Record<string, number> {
    this.sample();
    return Object.fromEntries([...this.peaks].map(([name, kb]) => [name, Math.round(kb / 1024)]));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      if (pid === undefined) continue;
      const kb = rssKb(pid);
      if (kb !== undefined) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, kb));
    }
  }
}

function rssKb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the process is gone
  }
}

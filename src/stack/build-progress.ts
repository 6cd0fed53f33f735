// Progress of concurrent stack builds: expected times from the last build, and a periodic line while parts build.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot } from './paths';

/** How often a line reports the parts still building. */
const TICK_MS = 30_000;

/**
 * Keeps `<cache>/build-times.json` (seconds of the last build of each part) and, while any part
 * builds, prints one line every 30 s with each running part's elapsed and expected time.
 */
export class BuildTicker {
  private readonly timesFile: string;
  private readonly last: Record<string, number>;
  private readonly running = new Map<string, { label: string; started: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly log: (line: string) => void,
    env: NodeJS.ProcessEnv,
  ) {
    this.timesFile = path.join(cacheRoot(env), 'build-times.json');
    this.last = readTimes(this.timesFile);
  }

  /** `last build took 187 s`, or undefined when this cache has never built the part. */
  lastBuild(id: string): string | undefined {
    const last = this.last[id];
    return last === undefined ? undefined : `last build took ${Math.round(last)} s`;
  }

  begin(id: string, label: string, started: number): void {
    this.running.set(id, { label, started });
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  /** A finished part records its time; a failed one (no seconds) records nothing. */
  end(id: string, secondsTaken?: number): void {
    this.running.delete(id);
    if (secondsTaken !== undefined) {
      this.last[id] = Math.round(secondsTaken * 10) / 10;
      writeTimes(this.timesFile, this.last);
    }
    if (this.running.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Date.now();
    const parts = [...this.running.entries()].map(([id, { label, started }]) => {
      const expected = this.last[id];
      return `${label} ${Math.round((now - started) / 1000)} s${expected === undefined ? '' : ` of ~${Math.round(expected)} s`}`;
    });
    if (parts.length > 0) this.log(`[install] still building: ${parts.join(', ')}`);
  }
}

function readTimes(file: string): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] >= 0));
  } catch {
    return {};
  }
}

function writeTimes(file: string, times: Record<string, number>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(times, null, 2)}\n`);
  renameSync(temp, file);
}

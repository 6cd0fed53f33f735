/** The last completed move of each shard, to tell a move that sends a shard back to the node it just left. */

interface LastMove {
  from: string;
  at: number;
}

/**
 * Bounded by `maxShards`: entries are kept in the order of their last move, so the oldest goes
 * first; entries older than the window are dropped silently (they can no longer flap), younger ones
 * are reported to `onEvict` so the caller can count flaps it may miss.
 */
export class FlapTable {
  private readonly last = new Map<string, LastMove>();

  constructor(
    private readonly maxShards: number,
    private readonly windowMs: number,
    private readonly onEvict: () => void,
  ) {}

  get size(): number {
    return this.last.size;
  }

  /**
   * Records a completed move of `shardId` from `from` to `to` at `at`; returns the time of the
   * shard's previous move when this one returns it to the node that move took it from, within the
   * window, else undefined.
   */
  record(shardId: string, from: string, to: string, at: number): number | undefined {
    const previous = this.last.get(shardId);
    const flapOf = previous !== undefined && previous.from === to && at - previous.at <= this.windowMs ? previous.at : undefined;
    if (previous !== undefined) this.last.delete(shardId);
    this.last.set(shardId, { from, at });
    for (const [oldId, old] of this.last) {
      const expired = at - old.at > this.windowMs;
      if (!expired && this.last.size <= this.maxShards) break;
      this.last.delete(oldId);
      if (!expired) this.onEvict();
    }
    return flapOf;
  }
}

/** Bounds on everything the SDK keeps; each can be lowered or raised per instance. */
export interface TelemetryLimits {
  /** Live plans tracked at once; further `planCreated` calls are rejected. @default 20000 */
  maxLivePlans: number;
  /** Live moves tracked at once, over all plans. @default 50000 */
  maxLiveMoves: number;
  /** Nodes in one ownership snapshot. @default 5000 */
  maxNodes: number;
  /** A live plan no hook touched for this long is dropped and counted as an orphan. @default 86400000 (24 h) */
  planOrphanTimeoutMs: number;
  /** A live move no hook touched for this long is dropped and counted as an orphan. @default 21600000 (6 h) */
  moveOrphanTimeoutMs: number;
  /** Drain progress span events kept per move (the metrics see every report). @default 16 */
  maxDrainEventsPerMove: number;
  /** Shards whose last completed move is remembered to detect flapping; the oldest is evicted, and counted, beyond it. @default 100000 */
  maxFlapShards: number;
  /** A move returning a shard to the node it left within this long counts as a flap. @default 3600000 (1 h) */
  flapWindowMs: number;
}

export const DEFAULT_LIMITS: TelemetryLimits = {
  maxLivePlans: 20_000,
  maxLiveMoves: 50_000,
  maxNodes: 5_000,
  planOrphanTimeoutMs: 24 * 3600_000,
  moveOrphanTimeoutMs: 6 * 3600_000,
  maxDrainEventsPerMove: 16,
  maxFlapShards: 100_000,
  flapWindowMs: 3600_000,
};

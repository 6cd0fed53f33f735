import type { enums } from '../index';
import { STATUS, type Domain } from './model';
import type { PolicySet } from './policies';
import type { Rng } from './rng';

/** One planned shard move, by shard and node index. */
export interface MoveSpec {
  shard: number;
  from: number;
  to: number;
}

export interface SelectOptions {
  now: number;
  /** Most moves in the plan. */
  maxMoves: number;
  /** Most moves before the ownership delta policy stops the planner (ignored when forced). */
  deltaCap: number;
  /** Prefer the shards that arrived last (cold caches, cheap to move): the heuristic that flaps. */
  pickRecent: boolean;
  /** Chance that a candidate's replica set has an unhealthy replica. */
  unhealthyReplicaRate: number;
  /** Only move shards off these nodes (an operator's evacuation); otherwise follow the weights. */
  onlyFrom?: readonly number[];
  forced?: boolean;
}

export interface Selection {
  moves: MoveSpec[];
  /** Moves of shards that moved within the cooldown (planned under a warn-only cooldown). */
  recentShards: number;
}

const MOVABLE = (status: number) => status === STATUS.active || status === STATUS.paused;

/**
 * The planner: moves shards from the nodes holding most above their weighted share to the active
 * nodes furthest below it, screening each candidate against the policies. Every skipped candidate
 * is reported through `skip`.
 */
export function selectMoves(
  domain: Domain,
  policies: PolicySet,
  opts: SelectOptions,
  rng: Rng,
  skip: (reason: enums.SkipReason) => void,
): Selection {
  const nodes = domain.nodes;
  // Paused nodes keep what they own and take nothing new; draining and disabled nodes should own nothing.
  let weightSum = 0;
  let pool = domain.placeableShards();
  for (const node of nodes) {
    if (node.status === 'active') weightSum += node.weight;
    else if (node.status === 'paused') pool -= node.shards.length - node.counts[STATUS.disabled];
  }
  const surplus = new Float64Array(nodes.length);
  const owned = new Float64Array(nodes.length);
  let pausedWithDeficit = false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const count = n.shards.length - n.counts[STATUS.disabled] + n.inbound - n.outbound;
    owned[i] = n.shards.length + n.inbound - n.outbound;
    if (n.status === 'active') {
      surplus[i] = count - (weightSum > 0 ? (n.weight / weightSum) * pool : 0);
    } else if (n.status === 'paused') {
      surplus[i] = 0;
      const share = (n.weight / (weightSum + n.weight)) * (pool + count);
      if (count - share <= -2) pausedWithDeficit = true;
    } else {
      surplus[i] = count;
    }
  }
  const sourceAllowed = opts.onlyFrom ? new Set(opts.onlyFrom) : undefined;
  const moves: MoveSpec[] = [];
  const taken = new Set<number>();
  const exhausted = new Set<number>();
  const full = new Set<number>();
  let recentShards = 0;
  let misses = 0;

  while (moves.length < opts.maxMoves && misses < 24) {
    let src = -1;
    let dst = -1;
    for (let i = 0; i < nodes.length; i++) {
      if (nodes[i].status === 'paused' || exhausted.has(i) || (sourceAllowed && !sourceAllowed.has(i))) continue;
      if (src < 0 || surplus[i] > surplus[src]) src = i;
    }
    for (let i = 0; i < nodes.length; i++) {
      if (i === src || nodes[i].status !== 'active' || full.has(i)) continue;
      if (dst < 0 || surplus[i] < surplus[dst]) dst = i;
    }
    if (src < 0 || dst < 0) break;
    const srcActive = nodes[src].status === 'active';
    const worthIt = opts.forced || sourceAllowed || !srcActive ? surplus[src] > 0.5 : surplus[src] - surplus[dst] >= 2;
    if (!worthIt) break;
    if (pausedWithDeficit) {
      skip('node_not_active');
      pausedWithDeficit = false;
    }
    if (!opts.forced && moves.length >= opts.deltaCap) {
      skip('ownership_delta');
      break;
    }
    if (owned[dst] + 1 > domain.nodeCapacity) {
      skip('capacity');
      full.add(dst);
      misses++;
      continue;
    }
    const shard = pickShard(domain, src, taken, opts.pickRecent, rng);
    if (shard < 0) {
      exhausted.add(src); // nothing movable left there
      misses++;
      continue;
    }
    if (domain.reserved[shard]) {
      skip('already_moving');
      taken.add(shard);
      misses++;
      continue;
    }
    const recent = opts.now - domain.lastMovedAt[shard] < policies.cooldownMs;
    if (recent && policies.cooldownAction === 'block' && !opts.forced) {
      skip('cooldown');
      taken.add(shard);
      misses++;
      continue;
    }
    if (policies.healthyReplicaRequired && !opts.forced && rng.chance(opts.unhealthyReplicaRate)) {
      skip('unhealthy_replica');
      taken.add(shard);
      misses++;
      continue;
    }
    if (recent) recentShards++;
    taken.add(shard);
    moves.push({ shard, from: src, to: dst });
    surplus[src]--;
    surplus[dst]++;
    owned[src]--;
    owned[dst]++;
  }
  return { moves, recentShards };
}

/** A movable shard of `node` not yet considered: the latest arrival, or one found by random probes. */
function pickShard(domain: Domain, node: number, taken: Set<number>, pickRecent: boolean, rng: Rng): number {
  const shards = domain.nodes[node].shards;
  if (shards.length === 0) return -1;
  if (pickRecent) {
    let best = -1;
    for (const s of shards) {
      if (taken.has(s) || !MOVABLE(domain.status[s])) continue;
      if (best < 0 || domain.lastMovedAt[s] > domain.lastMovedAt[best] || (domain.lastMovedAt[s] === domain.lastMovedAt[best] && s < best)) best = s;
    }
    return best;
  }
  for (let probe = 0; probe < 8; probe++) {
    const s = shards[Math.floor(rng.next() * shards.length)];
    if (!taken.has(s) && MOVABLE(domain.status[s])) return s;
  }
  for (const s of shards) if (!taken.has(s) && MOVABLE(domain.status[s])) return s;
  return -1;
}

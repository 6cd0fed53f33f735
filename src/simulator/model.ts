import { enums } from '../index';

type NodeStatus = enums.NodeStatus;
const STATUSES = enums.NODE_STATUSES;
/** Positions in NODE_STATUSES, the order of the per-node status counts. */
export const STATUS = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<NodeStatus, number>;

export interface NodeInfo {
  readonly id: string;
  /** Whether the node takes shards (active), is being emptied (draining), parked (paused) or out (disabled). */
  status: NodeStatus;
  /** Share of the namespace's shards the node should own, relative to the other active nodes. */
  weight: number;
  /** Moves to an unhealthy node fail (node_unreachable, version or checksum errors). */
  healthy: boolean;
  /** A wedged node stops draining: its in-flight work never shrinks. */
  wedged: boolean;
  /** Shard indices the node owns, in no particular order. */
  readonly shards: number[];
  /** Owned shards per shard status, in NODE_STATUSES order. */
  readonly counts: Int32Array;
  /** Moves of live plans that will bring a shard here / take one away. */
  inbound: number;
  outbound: number;
}

export interface DomainSpec {
  cluster: string;
  namespace: string;
  nodes: number;
  shards: number;
  /** Prefix of node ids. @default "node" */
  nodePrefix?: string;
  /** Shards disabled by an operator, out of rebalancing for the whole run. @default 0 */
  disabledShards?: number;
  /** A node holds at most this many times the even share of shards. @default unlimited */
  capacityFactor?: number;
}

/**
 * MeshKit.Shards for one namespace in one cluster: nodes, and shards each owned by a node with a
 * status (active, draining while it moves, paused when parked, disabled). Shard data lives in flat
 * typed arrays so that a hyperscale namespace costs a few bytes per shard.
 */
export class Domain {
  readonly cluster: string;
  readonly namespace: string;
  readonly nodes: NodeInfo[] = [];
  readonly shardCount: number;
  readonly owner: Int32Array;
  readonly status: Uint8Array;
  readonly lastMovedAt: Float64Array;
  /** 1 while a shard is part of a live plan (queued or moving). */
  readonly reserved: Uint8Array;
  private readonly posInNode: Int32Array;
  private readonly shardWidth: number;
  private readonly nodeWidth: number;
  private readonly nodePrefix: string;
  /** Bumped on every ownership change, so the controller reports a snapshot only when it changed. */
  version = 0;
  /** An incident is open: the incident_freeze policy applies. */
  incident = false;
  /** Most shards a node may own (capacity). */
  readonly nodeCapacity: number;

  constructor(spec: DomainSpec) {
    this.cluster = spec.cluster;
    this.namespace = spec.namespace;
    this.nodePrefix = spec.nodePrefix ?? 'node';
    this.shardCount = spec.shards;
    this.owner = new Int32Array(spec.shards);
    this.status = new Uint8Array(spec.shards);
    this.lastMovedAt = new Float64Array(spec.shards).fill(-Infinity);
    this.reserved = new Uint8Array(spec.shards);
    this.posInNode = new Int32Array(spec.shards);
    this.shardWidth = Math.max(4, String(spec.shards).length);
    this.nodeWidth = Math.max(2, String(spec.nodes).length);
    this.nodeCapacity = spec.capacityFactor ? Math.ceil((spec.capacityFactor * spec.shards) / spec.nodes) : Infinity;
    for (let i = 0; i < spec.nodes; i++) this.addNode();
    for (let s = 0; s < spec.shards; s++) {
      const node = this.nodes[s % spec.nodes];
      this.owner[s] = s % spec.nodes;
      this.posInNode[s] = node.shards.length;
      node.shards.push(s);
      node.counts[STATUS.active]++;
    }
    const disabled = spec.disabledShards ?? 0;
    for (let k = 0; k < disabled; k++) this.setShardStatus(Math.floor(((k + 0.5) * spec.shards) / disabled), 'disabled');
  }

  /** A node joins with no shards; returns its index. */
  addNode(weight = 1): number {
    const index = this.nodes.length;
    this.nodes.push({
      id: `${this.nodePrefix}-${String(index + 1).padStart(this.nodeWidth, '0')}`,
      status: 'active',
      weight,
      healthy: true,
      wedged: false,
      shards: [],
      counts: new Int32Array(STATUSES.length),
      inbound: 0,
      outbound: 0,
    });
    this.version++;
    return index;
  }

  nodeIndex(id: string): number {
    const i = this.nodes.findIndex((n) => n.id === id);
    if (i < 0) throw new Error(`no node ${id} in ${this.namespace}/${this.cluster}`);
    return i;
  }

  shardId(shard: number): string {
    return `${this.namespace}-${String(shard).padStart(this.shardWidth, '0')}`;
  }

  shardStatus(shard: number): NodeStatus {
    return STATUSES[this.status[shard]];
  }

  setShardStatus(shard: number, status: NodeStatus): void {
    const next = STATUS[status];
    const prev = this.status[shard];
    if (prev === next) return;
    const counts = this.nodes[this.owner[shard]].counts;
    counts[prev]--;
    counts[next]++;
    this.status[shard] = next;
    this.version++;
  }

  /** Hands a shard to its new owner, active there: the end of a completed move. */
  transfer(shard: number, to: number, at: number): void {
    const fromNode = this.nodes[this.owner[shard]];
    const prevStatus = this.status[shard];
    // swap-remove from the old owner's list
    const pos = this.posInNode[shard];
    const last = fromNode.shards.pop()!;
    if (last !== shard) {
      fromNode.shards[pos] = last;
      this.posInNode[last] = pos;
    }
    fromNode.counts[prevStatus]--;
    const toNode = this.nodes[to];
    this.owner[shard] = to;
    this.posInNode[shard] = toNode.shards.length;
    toNode.shards.push(shard);
    this.status[shard] = STATUS.active;
    toNode.counts[STATUS.active]++;
    this.lastMovedAt[shard] = at;
    this.version++;
  }

  /** Shards of the namespace that rebalancing may place: every shard not disabled. */
  placeableShards(): number {
    let n = 0;
    for (const node of this.nodes) n += node.shards.length - node.counts[STATUS.disabled];
    return n;
  }

  /** The ownership snapshot the controller reports: per node, shards per status (a node with none reports 0). */
  ownership(): { node: string; status: NodeStatus; count: number }[] {
    const out: { node: string; status: NodeStatus; count: number }[] = [];
    for (const node of this.nodes) {
      let any = false;
      for (let i = 0; i < STATUSES.length; i++) {
        if (node.counts[i] > 0) {
          out.push({ node: node.id, status: STATUSES[i], count: node.counts[i] });
          any = true;
        }
      }
      if (!any) out.push({ node: node.id, status: 'active', count: 0 });
    }
    return out;
  }
}

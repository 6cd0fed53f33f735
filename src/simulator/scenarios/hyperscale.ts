import { HOUR, MINUTE, SECOND } from '../clock';
import type { Scenario } from './types';

const NAMESPACES = ['catalog', 'orders', 'payments', 'search'] as const;
const NODES_PER_POOL = 250;
const SHARDS_PER_NAMESPACE = 25_000;
const PLANS_PER_NAMESPACE_PER_DAY = 2_500;

export const hyperscale: Scenario = {
  name: 'hyperscale',
  description: '~10,000 plans a day over 1,000 nodes and 100,000 shards: 4 namespaces of 250 nodes and 25,000 shards in one cluster, a drift every 34.56 s in each',
  alerts: [],
  hours: 24,
  build(world) {
    const every = (24 * HOUR) / PLANS_PER_NAMESPACE_PER_DAY;
    NAMESPACES.forEach((namespace, i) => {
      const domain = world.addDomain({
        cluster: 'hyper-1',
        namespace,
        nodes: NODES_PER_POOL,
        shards: SHARDS_PER_NAMESPACE,
        nodePrefix: `pool-${String.fromCharCode(97 + i)}`,
        disabledShards: 25,
        capacityFactor: 1.8,
      });
      world.addController(domain, {
        behaviour: {
          investigateEveryMs: [0, 0],
          drift: { everyMs: [every, every], kinds: [['imbalance', 3], ['capacity', 2]], strength: [0.1, 0.3] },
          dryRunEveryMs: 30 * MINUTE,
          maxLivePlans: 60,
          movesPerPlan: 40,
          drainItems: [20, 600],
          drainRate: [2, 6],
          progressEveryMs: [10 * SECOND, 20 * SECOND],
          moveFailureRate: 0.0001,
          planDeadlineMs: 20 * MINUTE,
        },
        policies: { maxConcurrentMoves: 200, cooldownMs: 20 * MINUTE, approval: { aboveDeltaPct: 1 } },
      });
    });
  },
};

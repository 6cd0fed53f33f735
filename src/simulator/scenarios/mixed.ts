import { MINUTE, SECOND } from '../clock';
import type { Scenario } from './types';

export const mixed: Scenario = {
  name: 'mixed',
  description:
    '2 clusters × 2 namespaces side by side: eu-west-1/payments rebalances and fails over to its standby, us-east-1/payments drains a node, ' +
    'eu-west-1/orders fails moves repeatedly, us-east-1/search gets stuck',
  alerts: ['MeshKitRebalancePlanStuck', 'MeshKitRebalanceRepeatedFailures'],
  hours: 3,
  build(world) {
    const drift = { everyMs: [12 * MINUTE, 20 * MINUTE], kinds: [['imbalance', 3], ['capacity', 1]], strength: [0.1, 0.25] } as const;

    // eu-west-1/payments: healthy, two replicas; the leader loses its lease at 80 min.
    const payments = world.addDomain({ cluster: 'eu-west-1', namespace: 'payments', nodes: 16, shards: 800 });
    const leader = world.addController(payments, { behaviour: { drift } });
    const standby = world.addController(payments, { leader: false, behaviour: { drift } });
    world.at(80 * MINUTE, () => leader.loseLeadership());
    world.at(80 * MINUTE + 3 * SECOND, () => standby.acquireLeadership());

    // eu-west-1/orders: a joining node turns unhealthy.
    const orders = world.addDomain({ cluster: 'eu-west-1', namespace: 'orders', nodes: 12, shards: 600 });
    const ordersCtl = world.addController(orders, {
      behaviour: { investigateEveryMs: [5 * MINUTE, 8 * MINUTE] },
      policies: { approval: { aboveDeltaPct: 8 } },
    });
    world.at(15 * MINUTE, () => ordersCtl.addNode());
    world.at(25 * MINUTE, () => {
      orders.nodes[orders.nodeIndex('node-13')].healthy = false;
    });
    world.at(75 * MINUTE, () => {
      orders.nodes[orders.nodeIndex('node-13')].healthy = true;
    });

    // us-east-1/payments: a node drained for an upgrade, then resumed.
    const usPayments = world.addDomain({ cluster: 'us-east-1', namespace: 'payments', nodes: 12, shards: 600 });
    const usCtl = world.addController(usPayments, {
      behaviour: { drift, approver: { delayMs: [1 * MINUTE, 4 * MINUTE], rejectRate: 0, cancelRate: 0, actors: ['sre.erin'] } },
      policies: { maxConcurrentMoves: 6 },
    });
    world.at(30 * MINUTE, () => usCtl.drainNode('node-07'));
    world.at(130 * MINUTE, () => usCtl.resumeNode('node-07'));

    // us-east-1/search: a wedged source node stalls a plan.
    const search = world.addDomain({ cluster: 'us-east-1', namespace: 'search', nodes: 10, shards: 500 });
    const searchCtl = world.addController(search, {
      behaviour: { investigateEveryMs: [0, 0], moveDrainTimeoutMs: 90 * MINUTE, planStallTimeoutMs: 45 * MINUTE },
      policies: { approval: { aboveDeltaPct: 10 } },
    });
    world.at(40 * MINUTE, () => {
      const node = search.nodes[search.nodeIndex('node-03')];
      node.wedged = true;
      node.weight = 0.4;
      searchCtl.investigate('capacity');
    });
    world.at(100 * MINUTE, () => {
      search.nodes[search.nodeIndex('node-03')].wedged = false;
    });
    world.at(105 * MINUTE, () => searchCtl.investigate('capacity'));
  },
};

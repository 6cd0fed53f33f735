import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const healthyRebalance: Scenario = {
  name: 'healthy-rebalance',
  description: 'a node joins and load drifts: approved plans execute under the concurrency limit (throttled, never over it), an incident pauses one; every plan finishes within its 60 min deadline',
  alerts: [],
  hours: 3,
  build(world) {
    const domain = world.addDomain({ cluster: 'eu-west-1', namespace: 'payments', nodes: 16, shards: 800, disabledShards: 4 });
    const ctl = world.addController(domain, {
      behaviour: {
        drift: { everyMs: [12 * MINUTE, 25 * MINUTE], kinds: [['imbalance', 3], ['capacity', 1], ['scheduled', 1]], strength: [0.1, 0.3] },
        movesPerPlan: 60,
        planDeadlineMs: 60 * MINUTE,
      },
      policies: { maxConcurrentMoves: 8, approval: { aboveDeltaPct: 3 } },
    });
    world.at(10 * MINUTE, () => ctl.addNode());
    world.at(95 * MINUTE, () => ctl.disturb('capacity'));
    world.at(100 * MINUTE, () => ctl.openIncident());
    world.at(112 * MINUTE, () => ctl.closeIncident());
  },
};

import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const stuckPlan: Scenario = {
  name: 'stuck-plan',
  description: "a plan's source node wedges mid-plan: its drains stop shrinking for 45 min until the controller fails the plan (timeout)",
  alerts: ['MeshKitRebalancePlanStuck'],
  hours: 2,
  build(world) {
    const domain = world.addDomain({ cluster: 'eu-west-1', namespace: 'orders', nodes: 12, shards: 600, disabledShards: 2 });
    const ctl = world.addController(domain, {
      behaviour: { investigateEveryMs: [0, 0], moveDrainTimeoutMs: 90 * MINUTE, planStallTimeoutMs: 45 * MINUTE },
      policies: { approval: { aboveDeltaPct: 8 } },
    });
    world.at(5 * MINUTE, () => ctl.addNode());
    world.at(40 * MINUTE, () => {
      // node-04's disk stalls: in-flight work on it never finishes, and its share of shards drops
      const node = domain.nodes[domain.nodeIndex('node-04')];
      node.wedged = true;
      node.weight = 0.4;
      ctl.investigate('capacity');
    });
    world.at(95 * MINUTE, () => {
      domain.nodes[domain.nodeIndex('node-04')].wedged = false;
    });
    world.at(100 * MINUTE, () => ctl.investigate('capacity'));
  },
};

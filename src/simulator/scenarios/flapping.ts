import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const flapping: Scenario = {
  name: 'flapping',
  description: "a noisy load signal flips two nodes' weights every 12 min: the same shards move back and forth, each plan warned by the cooldown policy",
  alerts: ['MeshKitRebalanceShardFlapping'],
  hours: 3,
  build(world) {
    const domain = world.addDomain({ cluster: 'us-east-1', namespace: 'sessions', nodes: 8, shards: 400 });
    const ctl = world.addController(domain, {
      behaviour: { investigateEveryMs: [0, 0], pickRecent: true, drainItems: [20, 120], unhealthyReplicaRate: 0 },
      policies: { cooldownMs: 30 * MINUTE, cooldownAction: 'warn', approval: 'never' },
    });
    const a = domain.nodeIndex('node-02');
    const b = domain.nodeIndex('node-03');
    for (let k = 1; k * 12 < 180; k++) {
      world.at(k * 12 * MINUTE, () => {
        const high = k % 2 === 1;
        domain.nodes[a].weight = high ? 1.35 : 0.65;
        domain.nodes[b].weight = high ? 0.65 : 1.35;
        ctl.investigate('imbalance');
      });
    }
  },
};

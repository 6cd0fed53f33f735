import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const repeatedFailures: Scenario = {
  name: 'repeated-failures',
  description: 'a newly joined node turns unhealthy: moves to it fail (unreachable, version conflict, checksum mismatch → rollback) for 50 min',
  alerts: ['MeshKitRebalanceRepeatedFailures'],
  hours: 2,
  build(world) {
    const domain = world.addDomain({ cluster: 'eu-west-1', namespace: 'inventory', nodes: 16, shards: 800 });
    const ctl = world.addController(domain, {
      behaviour: { investigateEveryMs: [5 * MINUTE, 8 * MINUTE] },
      policies: { approval: { aboveDeltaPct: 8 } },
    });
    world.at(15 * MINUTE, () => ctl.addNode());
    world.at(22 * MINUTE, () => {
      domain.nodes[domain.nodeIndex('node-17')].healthy = false;
    });
    world.at(72 * MINUTE, () => {
      domain.nodes[domain.nodeIndex('node-17')].healthy = true;
    });
  },
};

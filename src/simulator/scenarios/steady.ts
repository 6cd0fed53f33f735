import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const steady: Scenario = {
  name: 'steady',
  description: 'one balanced namespace: heartbeats, planner passes that find nothing, hourly dry-run previews',
  alerts: [],
  hours: 2,
  build(world) {
    const domain = world.addDomain({ cluster: 'eu-west-1', namespace: 'payments', nodes: 12, shards: 600, disabledShards: 3 });
    world.addController(domain, {
      behaviour: { investigateEveryMs: [4 * MINUTE, 7 * MINUTE], dryRunEveryMs: 60 * MINUTE, unhealthyReplicaRate: 0 },
    });
  },
};

import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const policyViolation: Scenario = {
  name: 'policy-violation',
  description: 'an operator evacuates two nodes (15 % of shards, no change ticket): max_ownership_delta blocks the plan until a lead overrides it',
  alerts: ['MeshKitRebalancePolicyViolation'],
  hours: 2,
  build(world) {
    const domain = world.addDomain({ cluster: 'us-east-1', namespace: 'search', nodes: 12, shards: 600 });
    const ctl = world.addController(domain, {
      behaviour: { drift: { everyMs: [15 * MINUTE, 25 * MINUTE], kinds: [['imbalance', 1]], strength: [0.1, 0.2] } },
      policies: { changeTicketRequired: 'warn' },
    });
    world.at(20 * MINUTE, () => ctl.requestManualPlan(['node-03', 'node-04'], 0.9, { changeTicket: false, weight: 0.1 }));
  },
};

import { HOUR, MINUTE } from '../clock';
import type { Scenario } from './types';

export const approvalBacklog: Scenario = {
  name: 'approval-backlog',
  description: 'every plan needs approval and the approvers are away from 25 min to 2 h: up to three plans wait over 30 min, then are decided',
  alerts: ['MeshKitRebalanceApprovalBacklog'],
  hours: 3,
  build(world) {
    const domain = world.addDomain({ cluster: 'us-east-1', namespace: 'billing', nodes: 14, shards: 700 });
    const ctl = world.addController(domain, {
      behaviour: {
        maxLivePlans: 3,
        drift: { everyMs: [10 * MINUTE, 16 * MINUTE], kinds: [['imbalance', 3], ['capacity', 1]], strength: [0.15, 0.3] },
        approver: { delayMs: [3 * MINUTE, 10 * MINUTE], rejectRate: 0.15, cancelRate: 0.1, actors: ['oncall.alice', 'oncall.bob'] },
      },
      policies: { approval: 'always' },
    });
    world.at(25 * MINUTE, () => ctl.approversAwayUntil(world.startMs + 2 * HOUR));
  },
};

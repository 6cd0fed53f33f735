import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const slowDrain: Scenario = {
  name: 'slow-drain',
  description:
    'plans must finish within 45 min of creation; at 30 min the old owners start draining at a twentieth of their pace: every drain keeps ' +
    'shrinking and moves keep ending, too slowly, so the forecast passes the deadline while the plan never stalls',
  alerts: ['MeshKitRebalancePlanOverrun'],
  hours: 3,
  build(world) {
    const domain = world.addDomain({ cluster: 'us-east-1', namespace: 'media', nodes: 12, shards: 600 });
    const ctl = world.addController(domain, {
      behaviour: { investigateEveryMs: [0, 0], movesPerPlan: 60, drainItems: [100, 300], drainRate: [1, 3], planDeadlineMs: 45 * MINUTE },
      policies: { maxConcurrentMoves: 6, approval: 'never' },
    });
    world.at(5 * MINUTE, () => ctl.addNode());
    world.at(30 * MINUTE, () => {
      // the old owners' disks saturate: in-flight work still finishes, more than ten times slower
      ctl.behaviour = { ...ctl.behaviour, drainRate: [0.04, 0.1], drainItems: [200, 600] };
      ctl.addNode();
    });
  },
};

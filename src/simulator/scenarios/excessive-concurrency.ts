import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const excessiveConcurrency: Scenario = {
  name: 'excessive-concurrency',
  description:
    'a controller release at 30 min breaks its concurrency check: it starts moves until 16 are in flight under a limit of 8, ' +
    'until the release is rolled back at 75 min',
  alerts: ['MeshKitRebalanceExcessiveConcurrentMoves'],
  hours: 2,
  build(world) {
    const domain = world.addDomain({ cluster: 'eu-west-1', namespace: 'sessions', nodes: 20, shards: 1000 });
    const ctl = world.addController(domain, {
      behaviour: { investigateEveryMs: [0, 0], movesPerPlan: 60, maxLivePlans: 2, drainItems: [300, 900], drainRate: [2, 4] },
      policies: { maxConcurrentMoves: 8, approval: 'never' },
    });
    const release = (limitSlack: number) => {
      ctl.behaviour = { ...ctl.behaviour, limitSlack };
      // the new release re-reads the policy, and its loop pumps moves under the check it now has
      ctl.setMaxConcurrentMoves(ctl.policies.maxConcurrentMoves);
    };
    world.at(10 * MINUTE, () => ctl.addNode());
    world.at(30 * MINUTE, () => {
      release(8);
      // a node joins too: its plan runs beside the first one, under the broken check, at once
      ctl.addNode();
    });
    world.at(50 * MINUTE, () => ctl.addNode());
    world.at(75 * MINUTE, () => release(0));
  },
};

import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const excessiveConcurrency: Scenario = {
  name: 'excessive-concurrency',
  description: 'the move limit drops from 24 to 6 while 24 long drains are in flight: above the limit for ~20 min while new moves are throttled',
  alerts: ['MeshKitRebalanceExcessiveConcurrentMoves'],
  hours: 2,
  build(world) {
    const domain = world.addDomain({ cluster: 'eu-west-1', namespace: 'sessions', nodes: 20, shards: 1000 });
    const ctl = world.addController(domain, {
      behaviour: { investigateEveryMs: [0, 0], movesPerPlan: 60, drainItems: [1500, 4000], drainRate: [2, 4] },
      policies: { maxConcurrentMoves: 24, approval: 'never' },
    });
    world.at(10 * MINUTE, () => ctl.addNode());
    world.at(18 * MINUTE, () => ctl.setMaxConcurrentMoves(6));
    world.at(70 * MINUTE, () => ctl.setMaxConcurrentMoves(12));
  },
};

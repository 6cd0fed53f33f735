import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const limitLowered: Scenario = {
  name: 'limit-lowered',
  description:
    'the move limit drops from 24 to 6 while 24 long drains are in flight: the controller starts nothing over it, but the drains take ' +
    'longer than the 30 min drain budget to fall under it',
  alerts: ['MeshKitRebalanceMovesAboveLoweredLimit'],
  hours: 2,
  build(world) {
    const domain = world.addDomain({ cluster: 'eu-west-1', namespace: 'sessions', nodes: 20, shards: 1000 });
    const ctl = world.addController(domain, {
      behaviour: { investigateEveryMs: [0, 0], movesPerPlan: 60, drainItems: [4000, 8000], drainRate: [0.8, 1.6] },
      policies: { maxConcurrentMoves: 24, approval: 'never' },
    });
    world.at(10 * MINUTE, () => ctl.addNode());
    world.at(18 * MINUTE, () => ctl.setMaxConcurrentMoves(6));
    world.at(80 * MINUTE, () => ctl.setMaxConcurrentMoves(12));
  },
};

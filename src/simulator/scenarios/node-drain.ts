import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const nodeDrain: Scenario = {
  name: 'node-drain',
  description: "node-05 is drained for an upgrade: its shards are parked (paused), moved away under approval, the node resumes and refills, each plan within its 60 min deadline",
  alerts: [],
  hours: 3,
  build(world) {
    const domain = world.addDomain({ cluster: 'eu-west-1', namespace: 'catalog', nodes: 12, shards: 600, disabledShards: 2 });
    const ctl = world.addController(domain, {
      behaviour: { approver: { delayMs: [1 * MINUTE, 3 * MINUTE], rejectRate: 0, cancelRate: 0, actors: ['sre.carol'] }, planDeadlineMs: 60 * MINUTE },
      policies: { maxConcurrentMoves: 6, approval: 'always' },
    });
    world.at(15 * MINUTE, () => ctl.drainNode('node-05'));
    world.at(110 * MINUTE, () => ctl.resumeNode('node-05'));
  },
};

import { MINUTE } from '../clock';
import type { Scenario } from './types';

export const heartbeatLoss: Scenario = {
  name: 'heartbeat-loss',
  description: "ledger's only controller hangs at 40 min (metrics still exported, heartbeat frozen) and dies at 60 min; payments stays healthy",
  alerts: ['MeshKitRebalanceControllerHeartbeatMissing'],
  hours: 2,
  build(world) {
    const payments = world.addDomain({ cluster: 'eu-west-1', namespace: 'payments', nodes: 12, shards: 600 });
    world.addController(payments, {
      behaviour: { drift: { everyMs: [15 * MINUTE, 25 * MINUTE], kinds: [['imbalance', 1]], strength: [0.1, 0.25] } },
    });
    const ledger = world.addDomain({ cluster: 'eu-west-1', namespace: 'ledger', nodes: 12, shards: 600 });
    const ctl = world.addController(ledger, { policies: { approval: 'never' } });
    world.at(5 * MINUTE, () => ctl.addNode());
    world.at(30 * MINUTE, () => ctl.quiesce());
    world.at(40 * MINUTE, () => ctl.hang());
    world.at(60 * MINUTE, () => ctl.die());
  },
};

/** Simulated controllers for the fleet: each region's clusters and namespaces as one scenario per region. */
import { MINUTE } from '../simulator/clock';
import type { Scenario } from '../simulator/scenarios';
import type { Region } from './topology';

/** The clusters of each region (region names of the fleet, cluster names as a cloud would give them). */
export const REGION_CLUSTERS: Record<Region, readonly string[]> = {
  eu: ['eu-west-1', 'eu-west-2', 'eu-central-1', 'eu-north-1', 'eu-south-1'],
  us: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'us-central-1'],
};

export interface RegionWorkload {
  /** How many of the region's clusters get controllers. @default all of them */
  clusters?: number;
  namespaces?: readonly string[];
  /** Controllers per namespace and cluster: one leader and the rest standbys. @default 2 */
  controllersPerNamespace?: number;
  /** Time between load drifts (each one makes a plan). @default 12–25 min */
  driftEveryMs?: [number, number];
  /** Cooldown between plans of one controller. @default the simulator's policy default */
  cooldownMs?: number;
  /**
   * Every leader previews a plan (a dry run: counted in plans created, mode dry_run, never executed)
   * this often, whatever its live plans do: a steady, known count for tests that must see data
   * produced within a given window. @default none
   */
  dryRunEveryMs?: number;
}

/**
 * A region's rebalancers doing ordinary work: in every cluster and namespace a leader (and
 * standbys) whose load drifts every 12–25 minutes, so plans are approved and executed under the
 * concurrency limit. No alert is meant to fire.
 */
export function regionScenario(region: Region, workload: RegionWorkload = {}): Scenario {
  const clusters = REGION_CLUSTERS[region].slice(0, workload.clusters ?? REGION_CLUSTERS[region].length);
  const namespaces = workload.namespaces ?? ['orders', 'payments'];
  const perNamespace = workload.controllersPerNamespace ?? 2;
  return {
    name: `fleet-${region}`,
    description: `${clusters.length} clusters × ${namespaces.length} namespaces × ${perNamespace} controllers in region ${region}, load drifting`,
    alerts: [],
    hours: 1,
    build(world) {
      for (const cluster of clusters) {
        for (const namespace of namespaces) {
          const domain = world.addDomain({ cluster, namespace, nodes: 12, shards: 600, disabledShards: 2 });
          for (let i = 0; i < perNamespace; i++) {
            world.addController(domain, {
              behaviour: {
                drift: { everyMs: workload.driftEveryMs ?? [12 * MINUTE, 25 * MINUTE], kinds: [['imbalance', 3], ['capacity', 1]], strength: [0.1, 0.3] },
                movesPerPlan: 30,
                ...(workload.dryRunEveryMs === undefined ? {} : { dryRunEveryMs: workload.dryRunEveryMs }),
              },
              policies: { maxConcurrentMoves: 8, approval: { aboveDeltaPct: 50 }, ...(workload.cooldownMs === undefined ? {} : { cooldownMs: workload.cooldownMs }) },
            });
          }
        }
      }
    },
  };
}

/** Controllers a workload runs: clusters × namespaces × controllers per namespace. */
export function controllerCount(region: Region, workload: RegionWorkload = {}): number {
  return (workload.clusters ?? REGION_CLUSTERS[region].length) * (workload.namespaces ?? ['orders', 'payments']).length * (workload.controllersPerNamespace ?? 2);
}

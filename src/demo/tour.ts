/**
 * The demo's script: which scenarios run, how far into its story each one is when the demo starts,
 * and what a viewer should see happen, when.
 *
 * Every act is a scenario of src/simulator/scenarios run on its own virtual clock. Its first
 * `preludeMs` of virtual time run in a fraction of a second before the demo starts, exporting
 * nothing (only finished spans, which the trace backend stores at their real, past times); from then
 * on the clock is the wall clock, so timestamps such as a plan's last progress or the oldest pending
 * approval are real and the alerts that read their age fire when they would in production. Counters
 * reach Prometheus at the value the prelude left them at, so counter-based alerts (repeated
 * failures, failed plans) fire only on events that happen after the demo started: the preludes stop
 * just before such events.
 */
import { MINUTE, SECOND } from '../simulator/clock';
import { findScenario, type Scenario } from '../simulator/scenarios';
import type { World } from '../simulator/world';
import type { AlertName } from '../alerting';

export interface Act {
  scenario: Scenario;
  /** Virtual time of the scenario's story already past when the demo starts. */
  preludeMs: number;
  /** Changes to the story, scheduled at demo times (ms after the demo started). */
  tweak?: (world: World, at: (demoMs: number, run: () => void) => void) => void;
  /** What the act shows, per `cluster/namespace` it runs. */
  stories: Readonly<Record<string, string>>;
}

/**
 * Something the viewer should see happen in Prometheus, about `atMs` after the demo started: when the
 * condition starts to hold, plus the few seconds the export, the rule evaluation (every 5 s) and the
 * screen's refresh take.
 */
export interface Cue {
  atMs: number;
  scope: string;
  alert: AlertName;
  /** `pending`: the condition holds and the rule's `for` runs; `firing`; `resolved`. */
  change: 'pending' | 'firing' | 'resolved';
  text: string;
}

export interface Tour {
  acts: Act[];
  cues: Cue[];
  /** The seed of every act: the preludes and cue times are measured for it. */
  seed: string;
}

function scenario(name: string): Scenario {
  const found = findScenario(name);
  if (!found) throw new Error(`the demo tour needs the simulator scenario "${name}"`);
  return found;
}

/** The wedged source node of mixed's us-east-1/search plan recovers this long after the demo starts. */
const SEARCH_RECOVERS_AT = 3 * MINUTE + 15 * SECOND;

/**
 * Two clusters, seven namespaces, eight controllers. The cue times are where the alerts fire for
 * seed 42 with the rules' default thresholds (test/feature/demo.test.ts checks them).
 */
export function defaultTour(): Tour {
  return {
    seed: '42',
    acts: [
      {
        scenario: scenario('mixed'),
        preludeMs: 54 * MINUTE + 50 * SECOND,
        tweak: (world, at) => {
          // Instead of timing the plan out, node-03 recovers: the stuck plan's drains shrink again.
          at(SEARCH_RECOVERS_AT, () => {
            const search = world.domains.find((d) => d.cluster === 'us-east-1' && d.namespace === 'search')!;
            search.nodes[search.nodeIndex('node-03')].wedged = false;
          });
        },
        stories: {
          'eu-west-1/payments': 'rebalances on load drift; a standby controller waits for the lease',
          'eu-west-1/orders': 'a new node (node-13) is unhealthy: moves to it fail, plans roll back',
          'us-east-1/payments': 'node-07 drained for an upgrade: its shards move away under approval',
          'us-east-1/search': "node-03's disk wedged mid-plan: its drains stopped shrinking at 41 min",
        },
      },
      {
        scenario: scenario('repeated-failures'),
        preludeMs: 53 * MINUTE + 50 * SECOND,
        stories: { 'eu-west-1/inventory': 'moves to the newly joined, unhealthy node-17 fail and roll back' },
      },
      {
        scenario: scenario('approval-backlog'),
        preludeMs: 56 * MINUTE + 50 * SECOND,
        stories: { 'us-east-1/billing': 'every plan needs approval and the approvers are away: plans wait' },
      },
      {
        scenario: scenario('excessive-concurrency'),
        preludeMs: 29 * MINUTE + 50 * SECOND,
        stories: { 'eu-west-1/sessions': 'a controller release breaks its concurrency check: it starts moves over the limit of 8' },
      },
    ],
    cues: [
      { atMs: 25 * SECOND, scope: 'eu-west-1/sessions', alert: 'MeshKitRebalanceExcessiveConcurrentMoves', change: 'firing', text: 'the controller started moves over the limit of 8 (page)' },
      { atMs: 45 * SECOND, scope: 'us-east-1/search', alert: 'MeshKitRebalancePlanStuck', change: 'firing', text: 'an executing plan has made no progress for 15 min (page)' },
      { atMs: 75 * SECOND, scope: 'eu-west-1/inventory', alert: 'MeshKitRebalanceRepeatedFailures', change: 'firing', text: '3 move failures within 15 min (page)' },
      { atMs: 110 * SECOND, scope: 'us-east-1/billing', alert: 'MeshKitRebalanceApprovalBacklog', change: 'firing', text: 'a plan has waited 30 min for approval (ticket)' },
      { atMs: SEARCH_RECOVERS_AT + 10 * SECOND, scope: 'us-east-1/search', alert: 'MeshKitRebalancePlanStuck', change: 'resolved', text: "node-03 recovers: the plan's drains shrink again" },
      { atMs: 6 * MINUTE + 25 * SECOND, scope: 'eu-west-1/orders', alert: 'MeshKitRebalanceRepeatedFailures', change: 'firing', text: 'moves to node-13 keep failing (page)' },
    ],
  };
}

/** `cluster/namespace` of every act, clusters then namespaces in order. */
export function tourScopes(tour: Tour): string[] {
  return tour.acts.flatMap((act) => Object.keys(act.stories)).sort();
}

export function storyOf(tour: Tour, scope: string): string | undefined {
  for (const act of tour.acts) if (act.stories[scope]) return act.stories[scope];
  return undefined;
}

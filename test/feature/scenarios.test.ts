/**
 * Every scenario that is built to break something, and the two that are not, loaded into a real
 * Prometheus as a deterministic history ending now: each generated alert rule's `expr` is evaluated
 * over the whole history with range queries (`time()` is taken at every step, so the rules work on
 * the past), its `for` applied to the runs of steps that returned a series. A scenario must fire
 * exactly the alerts it declares, where its story says, and nothing else; the quiet scenarios must
 * fire nothing while their series are demonstrably there.
 */
import { ALERT_SIGNALS, findScenario, type AlertSignal } from '../../src/simulator/scenarios';
import { METRICS } from '../../src';
import { startHistoryStack, type HistoryStack } from '../helpers/history-stack';
import { evaluateRules, firedAlerts, promQueryRange, type RuleWindows } from './helpers/alert-windows';
import { promQuery } from '../integration/helpers/backends';

const STEP_S = 60;
const BUILD_TIMEOUT = 30 * 60_000; // the first start may build the stack

/**
 * Where (cluster/namespace) each scenario's story breaks things. `name@hours` runs a scenario for
 * longer than its own length: a whole day of `steady`.
 */
const EXPECTED: Record<string, Partial<Record<AlertSignal, string[]>>> = {
  steady: {},
  'steady@24': {},
  'healthy-rebalance': {},
  'node-drain': {},
  'stuck-plan': { MeshKitRebalancePlanStuck: ['eu-west-1/orders'] },
  'excessive-concurrency': { MeshKitRebalanceExcessiveConcurrentMoves: ['eu-west-1/sessions'] },
  'limit-lowered': { MeshKitRebalanceMovesAboveLoweredLimit: ['eu-west-1/sessions'] },
  'slow-drain': { MeshKitRebalancePlanOverrun: ['us-east-1/media'] },
  flapping: { MeshKitRebalanceShardFlapping: ['us-east-1/sessions'] },
  'repeated-failures': { MeshKitRebalanceRepeatedFailures: ['eu-west-1/inventory'] },
  'heartbeat-loss': { MeshKitRebalanceControllerHeartbeatMissing: ['eu-west-1/ledger'] },
  'policy-violation': { MeshKitRebalancePolicyViolation: ['us-east-1/search'] },
  'approval-backlog': { MeshKitRebalanceApprovalBacklog: ['us-east-1/billing'] },
};

/** Alerts no scenario may fire: the simulator calls hooks legally, and a leader is always elected within seconds. */
const NEVER = ['MeshKitRebalanceTelemetryRejected', 'MeshKitRebalanceNoLeader', 'MeshKitRebalanceStandbyHeartbeatMissing'];

const sorted = (set: Iterable<string> | undefined) => [...(set ?? [])].sort();

describe.each(Object.keys(EXPECTED))('scenario %s', (key) => {
  const [name, longer] = key.split('@');
  const scenario = findScenario(name)!;
  const hours = longer === undefined ? scenario.hours : Number(longer);
  let h: HistoryStack;
  let windows: RuleWindows[];
  let fired: Map<string, Set<string>>;

  beforeAll(async () => {
    h = await startHistoryStack({ scenario: name, seed: '1', hours });
    windows = await evaluateRules(h.stack.urls.prometheus, h.startMs / 1000, h.endMs / 1000, STEP_S);
    fired = firedAlerts(windows);
    const summary = windows.flatMap((w) =>
      w.firing.map((f) => {
        const at = f.runs.map(([a, b]) => `${Math.round((a * 1000 - h.startMs) / 60_000)}-${Math.round((b * 1000 - h.startMs) / 60_000)} min`).join(', ');
        return `${f.alert}${f.cause ? `[${f.cause}]` : ''} ${f.labels.cluster}/${f.labels.namespace} ${at}`;
      }),
    );
    process.stdout.write(`[feature] ${key}: ${h.history.samples} samples, ${hours} h; ${summary.length ? summary.join('; ') : 'no alert'}\n`);
  }, BUILD_TIMEOUT);

  afterAll(async () => {
    await h?.stop();
  });

  it('serves its history: every controller of the scenario has series over the whole window', async () => {
    const leaders = await promQueryRange(
      h.stack.urls.prometheus,
      `count by (cluster, namespace) (${METRICS.leader.name})`,
      h.startMs / 1000,
      h.endMs / 1000,
      STEP_S,
    );
    const scopes = leaders.map((s) => `${s.metric.cluster}/${s.metric.namespace}`);
    expect(scopes.length).toBeGreaterThan(0);
    // present from the first minutes on (a controller that dies leaves gaps only after its death)
    for (const s of leaders) expect(s.values[0][0] * 1000 - h.startMs).toBeLessThanOrEqual(2 * STEP_S * 1000);
    for (const expected of Object.values(EXPECTED[key]).flat()) expect(scopes).toContain(expected);
  });

  it('fires exactly the alerts it declares, where its story says', () => {
    const signals = new Set<string>(ALERT_SIGNALS);
    const firedSignals = sorted([...fired.keys()].filter((a) => signals.has(a)));
    expect(firedSignals).toEqual(sorted(scenario.alerts));
    for (const [alert, scopes] of Object.entries(EXPECTED[key])) expect([alert, sorted(fired.get(alert))]).toEqual([alert, sorted(scopes)]);
  });

  it('fires none of the alerts no scenario should', () => {
    for (const alert of NEVER) expect([alert, sorted(fired.get(alert))]).toEqual([alert, []]);
  });

  if (scenario.alerts.length === 0) {
    it('fires no alert at all, while the signals are measured and stay under their thresholds', async () => {
      expect([...fired.keys()]).toEqual([]);
      const at = h.endMs / 1000;
      const range = `${hours * 60}m`;
      const query = async (q: string) => (await promQuery(h.stack.urls.prometheus, `${q}`)).map((s) => Number(s.value[1]));
      // heartbeats were collected all along, never older than the 15 s the rule allows
      const [maxAge] = await query(`max(max_over_time((timestamp(${METRICS.heartbeat.name}) - ${METRICS.heartbeat.name})[${range}:1m] @ ${at}))`);
      expect(maxAge).toBeLessThanOrEqual(15);
      // no move failed
      const [failures] = await query(`sum(${METRICS.moveFailures.name} @ ${at})`);
      expect(failures).toBe(0);
      if (name === 'healthy-rebalance') {
        // it did rebalance: moves completed, up to the limit and never over it
        const [completed] = await query(`sum(${METRICS.movesTotal.name}{outcome="completed"} @ ${at})`);
        expect(completed).toBeGreaterThan(100);
        const [headroom] = await query(
          `min(min_over_time((${METRICS.maxConcurrentMoves.name} - on (job, instance) ${METRICS.shardsInFlight.name})[${range}:1m] @ ${at}))`,
        );
        expect(headroom).toBeGreaterThanOrEqual(0);
        const [peak] = await query(`max(max_over_time(${METRICS.shardsInFlight.name}[${range}] @ ${at}))`);
        expect(peak).toBeGreaterThan(0);
      }
    });
  }
});

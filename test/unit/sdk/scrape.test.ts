import { createRebalanceTelemetry, METRIC_LIST, type RebalanceTelemetryHandle } from '../../../src';
import { familyOf, find, parseExposition, type Sample } from '../../helpers/exposition';
import { fetchText, freePort } from '../../helpers/net';
import { runFullLifecycle } from '../../helpers/lifecycle';

const SCOPE_LABELS = ['otel_scope_name', 'otel_scope_version'];
const histograms = new Set(METRIC_LIST.filter((m) => m.kind === 'histogram').map((m) => m.name));

describe('Prometheus pull endpoint', () => {
  let t: RebalanceTelemetryHandle;
  let samples: Sample[];

  beforeAll(async () => {
    const port = await freePort();
    t = createRebalanceTelemetry({ namespace: 'payments', cluster: 'eu-1', controllerId: 'ctl-0', prometheus: { port } });
    runFullLifecycle(t);
    samples = parseExposition(await fetchText(t.prometheusUrl!));
  });
  afterAll(() => t.shutdown());

  it('binds 127.0.0.1 by default', () => {
    expect(t.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  });

  it('exposes every schema metric, and nothing else', () => {
    const families = new Set(samples.map((s) => familyOf(s, histograms)));
    families.delete('target_info');
    expect([...families].sort()).toEqual(METRIC_LIST.map((m) => m.name).sort());
  });

  it.each(METRIC_LIST.map((m) => [m.name, m] as const))('%s carries exactly the schema labels', (name, spec) => {
    const expected = [...spec.labels.map((l) => l.name), ...SCOPE_LABELS];
    const seen = samples.filter((s) => familyOf(s, histograms) === name);
    expect(seen.length).toBeGreaterThan(0);
    for (const sample of seen) {
      const labels = Object.keys(sample.labels).filter((k) => k !== 'le');
      expect(labels.sort()).toEqual([...expected].sort());
    }
  });

  it('shows the lifecycle it was driven through', () => {
    const ns = { namespace: 'payments', cluster: 'eu-1' };
    expect(find(samples, 'meshkit_rebalance_state', { ...ns, state: 'executing' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_state').filter((s) => s.value === 1)).toHaveLength(1);
    expect(find(samples, 'meshkit_rebalance_shards_in_flight', ns)[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_max_concurrent_moves', ns)[0].value).toBe(4);
    expect(find(samples, 'meshkit_rebalance_duration_seconds_count', { ...ns, outcome: 'completed' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_duration_seconds_count', { ...ns, outcome: 'failed' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_plan_approvals_total', { ...ns, decision: 'approved' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_plan_approvals_total', { ...ns, decision: 'override' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_plan_approvals_total', { ...ns, decision: 'rejected' })[0].value).toBe(0);
    expect(find(samples, 'meshkit_rebalance_moves_total', { ...ns, outcome: 'completed' })[0].value).toBe(2);
    expect(find(samples, 'meshkit_rebalance_move_failures_total', { ...ns, reason: 'drain_timeout' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_policy_violations_total', { ...ns, policy: 'max_ownership_delta', action: 'block' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_plans_created_total', { ...ns, trigger: 'manual', mode: 'dry_run' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_approval_backlog', ns)[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_telemetry_rejected_total', { hook: 'planCompleted', reason: 'unknown_plan' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_shards_owned', { ...ns, node: 'node-b', status: 'draining' })[0].value).toBe(3);
    expect(find(samples, 'meshkit_rebalance_controller_leader', { ...ns, controller: 'ctl-0' })[0].value).toBe(1);
  });

  it('keeps per-plan series for live plans only', () => {
    const planIds = new Set(find(samples, 'meshkit_rebalance_plan_state').map((s) => s.labels.plan_id));
    expect([...planIds].sort()).toEqual(['plan-live', 'plan-waiting']);
    expect(find(samples, 'meshkit_rebalance_plan_state', { plan_id: 'plan-live' })[0].labels.state).toBe('executing');
    expect(find(samples, 'meshkit_rebalance_plan_moves_remaining', { plan_id: 'plan-live' })[0].value).toBe(2);
  });
});

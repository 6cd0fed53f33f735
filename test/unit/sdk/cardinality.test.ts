import { createRebalanceTelemetry, DEFAULT_LIMITS, METRIC_LIST, seriesBudget, type RebalanceTelemetryHandle } from '../../../src';
import { familyOf, find, parseExposition, type Sample } from '../../helpers/exposition';
import { fetchText, freePort } from '../../helpers/net';
import { runHealthyPlan } from '../../helpers/lifecycle';

const PLANS = 10_000;
const histograms = new Set(METRIC_LIST.filter((m) => m.kind === 'histogram').map((m) => m.name));

async function scrape(t: RebalanceTelemetryHandle): Promise<Sample[]> {
  return parseExposition(await fetchText(t.prometheusUrl!, 30_000));
}

function seriesPerFamily(samples: Sample[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of samples) {
    if (s.name.endsWith('_bucket') || s.name.endsWith('_sum')) continue; // one series per histogram: its _count
    const family = familyOf(s, histograms);
    counts.set(family, (counts.get(family) ?? 0) + 1);
  }
  return counts;
}

describe('cardinality', () => {
  let t: RebalanceTelemetryHandle;
  beforeEach(async () => {
    t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', prometheus: { port: await freePort() } });
  });
  afterEach(() => t.shutdown());

  it(`shows ${PLANS} live plans as ${PLANS} correct per-plan series with no overflow`, async () => {
    for (let i = 0; i < PLANS; i++) {
      const planId = `plan-${i}`;
      t.planCreated({ planId, trigger: 'imbalance', movesPlanned: 3 });
      if (i % 2 === 0) t.planStarted({ planId });
    }
    const samples = await scrape(t);
    const states = find(samples, 'meshkit_rebalance_plan_state');
    expect(states).toHaveLength(PLANS);
    expect(new Set(states.map((s) => s.labels.plan_id)).size).toBe(PLANS);
    expect(find(samples, 'meshkit_rebalance_plan_state', { plan_id: 'plan-42' })[0].labels.state).toBe('executing');
    expect(find(samples, 'meshkit_rebalance_plan_state', { plan_id: 'plan-43' })[0].labels.state).toBe('draft');
    expect(find(samples, 'meshkit_rebalance_plan_moves_remaining')).toHaveLength(PLANS);
    expect(find(samples, 'meshkit_rebalance_plan_last_progress_timestamp_seconds')).toHaveLength(PLANS);
    expect(find(samples, 'meshkit_rebalance_plans', { state: 'executing' })[0].value).toBe(PLANS / 2);
    expect(samples.filter((s) => 'otel_metric_overflow' in s.labels)).toHaveLength(0);
  });

  it(`leaves no plan_id series after ${PLANS} plans complete, and stays within budget`, async () => {
    for (let i = 0; i < PLANS; i++) runHealthyPlan(t, `plan-${i}`, 2);
    const samples = await scrape(t);
    expect(samples.filter((s) => 'plan_id' in s.labels)).toHaveLength(0);
    expect(find(samples, 'meshkit_rebalance_plans_total', { outcome: 'completed' })[0].value).toBe(PLANS);
    expect(find(samples, 'meshkit_rebalance_moves_total', { outcome: 'completed' })[0].value).toBe(2 * PLANS);
    const perFamily = seriesPerFamily(samples);
    for (const spec of METRIC_LIST) {
      expect(perFamily.get(spec.name) ?? 0).toBeLessThanOrEqual(seriesBudget(spec, DEFAULT_LIMITS));
    }
    const total = [...perFamily.values()].reduce((a, b) => a + b, 0);
    // Recorded for the closing note: the whole scrape after 10,000 plans, histograms counted once.
    process.stdout.write(`series after ${PLANS} completed plans: ${total} (exposition samples: ${samples.length})\n`);
    expect(total).toBeLessThan(400);
  });

  it('rejects plans beyond maxLivePlans instead of growing', async () => {
    await t.shutdown();
    t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', prometheus: { port: await freePort() }, limits: { maxLivePlans: 100 } });
    for (let i = 0; i < 150; i++) t.planCreated({ planId: `p-${i}`, trigger: 'manual', movesPlanned: 1 });
    const samples = await scrape(t);
    expect(find(samples, 'meshkit_rebalance_plan_state')).toHaveLength(100);
    expect(find(samples, 'meshkit_rebalance_telemetry_rejected_total', { hook: 'planCreated', reason: 'limit_exceeded' })[0].value).toBe(50);
  });
});

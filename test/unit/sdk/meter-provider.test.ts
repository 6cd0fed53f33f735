import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { createRebalanceTelemetry, METRIC_LIST } from '../../../src';
import { find, parseExposition } from '../../helpers/exposition';
import { runFullLifecycle } from '../../helpers/lifecycle';

describe('a meter provider the controller owns', () => {
  it('receives counters, gauges and histograms, but no per-plan or per-node series', async () => {
    const reader = new PrometheusExporter({ preventServerStart: true });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'ctl', meterProvider });
    runFullLifecycle(t);
    const { resourceMetrics } = await reader.collect();
    const samples = parseExposition(new PrometheusSerializer().serialize(resourceMetrics));
    expect(find(samples, 'meshkit_rebalance_plans_total', { outcome: 'completed' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_plans', { state: 'executing' })[0].value).toBe(1);
    expect(find(samples, 'meshkit_rebalance_move_duration_seconds_count', { outcome: 'completed' })[0].value).toBe(2);
    expect(find(samples, 'meshkit_rebalance_shards_in_flight')[0].value).toBe(1);
    expect(samples.filter((s) => 'plan_id' in s.labels || 'node' in s.labels)).toEqual([]);
    const bridged = METRIC_LIST.filter((m) => !m.labels.some((l) => l.domain.kind === 'id'));
    for (const spec of bridged) {
      const names = spec.kind === 'histogram' ? [`${spec.name}_count`] : [spec.name];
      expect(names.some((n) => samples.some((s) => s.name === n))).toBe(true);
    }
    await meterProvider.shutdown();
  });
});

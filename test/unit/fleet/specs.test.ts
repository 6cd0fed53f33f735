import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { componentSpecs, replicaConfig } from '../../../src/fleet/specs';
import { PORT_COUNT, REGIONS, REPLICAS, assignPorts, startWaves } from '../../../src/fleet/topology';
import { controllerCount, regionScenario } from '../../../src/fleet/workload';
import { METRICS } from '../../../src/schema/metrics';
import { otelName } from '../../../src/sdk/metric-producer';
import { buildWorld } from '../../../src/simulator/runner';

const ports = assignPorts(Array.from({ length: PORT_COUNT }, (_, i) => 20000 + i));
const binaries = { otelcol: '/b/otelcol', prometheus: '/b/prometheus', promtool: '/b/promtool', alertmanager: '/b/alertmanager', amtool: '/b/amtool', jaeger: '/b/jaeger', thanos: '/b/thanos' };

describe('fleet topology', () => {
  it('gives every listener its own port', () => {
    const all = JSON.stringify(ports).match(/\d+/g)!.map(Number);
    expect(all).toHaveLength(PORT_COUNT);
    expect(new Set(all).size).toBe(PORT_COUNT);
    expect(() => assignPorts([1, 2])).toThrow(/needs/);
  });

  it('labels each replica with its region and replica, drops the replica from alerts, and sends to every Alertmanager node', () => {
    const config = replicaConfig(ports, 'us', 'b', ['/r.yml'], '5s') as {
      global: { external_labels: Record<string, string> };
      alerting: { alert_relabel_configs: { action: string; regex: string }[]; alertmanagers: { static_configs: { targets: string[] }[] }[] };
    };
    expect(config.global.external_labels).toEqual({ region: 'us', replica: 'b' });
    expect(config.alerting.alert_relabel_configs).toEqual([{ action: 'labeldrop', regex: 'replica' }]);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(ports.alertmanager.map((node) => `127.0.0.1:${node.web}`));
  });

  it('starts every process once, each on loopback, the Alertmanager nodes peering with each other and Query reading every sidecar', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-specs-'));
    try {
      const specs = componentSpecs(ports, { dir, env: {}, binaries, ruleFiles: [], alertmanagerConfig: '/am.yml', evaluationInterval: '5s', peerTimeout: '15s' });
      expect(startWaves().flat().sort()).toEqual(Object.keys(specs).sort());
      for (const spec of Object.values(specs)) {
        expect(spec.readyUrl.startsWith('http://127.0.0.1:')).toBe(true);
        for (const arg of spec.args) if (/address|listen/.test(arg)) expect(arg).toMatch(/=127\.0\.0\.1:\d+$/);
      }
      expect(specs['alertmanager-0'].args).toContain(`--cluster.peer=127.0.0.1:${ports.alertmanager[1].cluster}`);
      expect(specs['alertmanager-1'].args).toContain(`--cluster.peer=127.0.0.1:${ports.alertmanager[0].cluster}`);
      expect(specs.query.args.filter((a) => a.startsWith('--endpoint='))).toHaveLength(REGIONS.length * REPLICAS.length);
      expect(specs.query.args).toContain('--query.replica-label=replica');
      expect(specs['eu-sidecar-b'].args).toContain('--prometheus.get_config_interval=5s');
      // traces: every agent → both gateways (by trace ID) → the trace backend
      expect(specs['us-agent'].env.GATEWAY_OTLP_ENDPOINTS).toBe(`[127.0.0.1:${ports.gateways[0].otlpGrpc}, 127.0.0.1:${ports.gateways[1].otlpGrpc}]`);
      expect(specs['gateway-1'].env.TRACE_BACKEND_OTLP_ENDPOINT).toBe(`127.0.0.1:${ports.jaeger.jaegerOtlpGrpc}`);
      expect(specs['gateway-1'].env.GATEWAY_ID).toBe('gateway-1');
      expect(specs['eu-agent'].env.PROMETHEUS_B_OTLP_ENDPOINT).toBe(`http://127.0.0.1:${ports.regions.eu.prometheus.b}/api/v1/otlp`);
      expect(readFileSync(path.join(dir, 'eu-prometheus-a.yml'), 'utf8')).toContain('"region": "eu"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs at least 40 controllers over 2 regions and 10 clusters with the default workload', () => {
    expect(REGIONS.map((r) => controllerCount(r)).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(40);
    expect(regionScenario('eu').description).toMatch(/^5 clusters/);
  });

  it('previews a plan every dryRunEveryMs on every leader, whatever its live plans do', async () => {
    const plansCreated = (world: ReturnType<typeof buildWorld>) => {
      let total = 0;
      for (const controller of world.controllers) {
        for (const metric of world.handles.get(controller)!.metricProducer.collectMetrics()) {
          if (metric.descriptor.name === otelName(METRICS.plansCreated)) for (const point of metric.dataPoints) total += point.value as number;
        }
      }
      return total;
    };
    const run = async (dryRunEveryMs?: number) => {
      const world = buildWorld(regionScenario('eu', { clusters: 1, dryRunEveryMs }), '1', 0);
      world.runUntil(60_000);
      const count = plansCreated(world);
      await Promise.all([...world.handles.values()].map((h) => h.shutdown()));
      return count;
    };
    const [without, every5s] = [await run(), await run(5_000)];
    // one cluster × two namespaces: two leaders, a preview each every 5 s of the minute
    expect([without, every5s]).toEqual([0, 2 * 12]);
  });
});

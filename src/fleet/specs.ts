/** The command line, environment and config file of every process of the fleet. */
import path from 'node:path';
import { httpUrl, jaegerConfig, loopback, writeConfig } from '../stack/configs';
import type { StackBinaries } from '../stack/install';
import { shipped } from '../stack/paths';
import type { ServerSpec } from '../stack/processes';
import {
  ALERTMANAGER_NODES,
  GATEWAYS,
  REGIONS,
  REGION_LABEL,
  REPLICAS,
  REPLICA_LABEL,
  agentName,
  alertmanagerName,
  gatewayName,
  prometheusName,
  sidecarName,
  type FleetComponent,
  type FleetPorts,
  type Region,
  type Replica,
} from './topology';

export interface ComponentSpec extends ServerSpec {
  name: FleetComponent;
}

export interface SpecOptions {
  dir: string;
  env: NodeJS.ProcessEnv;
  binaries: StackBinaries & { thanos: string };
  ruleFiles: string[];
  alertmanagerConfig: string;
  /** Rule evaluation and scrape interval of every Prometheus. */
  evaluationInterval: string;
  /** Alertmanager `--cluster.peer-timeout`: how long node n waits n times over for its peers to notify. */
  peerTimeout: string;
  /** Extra environment of every gateway (gateway.yaml's tail-sampling knobs). */
  gatewayEnv?: Record<string, string>;
}

/** Where a replica keeps its TSDB (the sidecar reads the same directory). */
export const prometheusDataDir = (dir: string, region: Region, replica: Replica): string => path.join(dir, `${prometheusName(region, replica)}-data`);

/**
 * One replica's Prometheus: region and replica as external labels; every Alertmanager node as a
 * target (an HA pair must reach all of them); the replica label dropped from alerts so that both
 * replicas send the same alert; OTLP from the region's agent; an out-of-order window so that an
 * agent's queued batches still land after the replica was down.
 */
export function replicaConfig(ports: FleetPorts, region: Region, replica: Replica, rules: string[], interval: string): object {
  const job = (name: string, port: number) => ({ job_name: name, static_configs: [{ targets: [loopback(port)] }] });
  const own = ports.regions[region];
  return {
    global: { scrape_interval: interval, evaluation_interval: interval, external_labels: { [REGION_LABEL]: region, [REPLICA_LABEL]: replica } },
    rule_files: rules,
    alerting: {
      alert_relabel_configs: [{ action: 'labeldrop', regex: REPLICA_LABEL }],
      alertmanagers: [{ static_configs: [{ targets: ports.alertmanager.map((node) => loopback(node.web)) }] }],
    },
    otlp: { promote_resource_attributes: ['namespace', 'cluster'] },
    storage: { tsdb: { out_of_order_time_window: '10m' } },
    scrape_configs: [job('prometheus', own.prometheus[replica]), job('otelcol', own.agent.telemetry)],
  };
}

export function componentSpecs(ports: FleetPorts, options: SpecOptions): Record<FleetComponent, ComponentSpec> {
  const { dir, env, binaries } = options;
  const file = (name: string) => path.join(dir, name);
  const spec = (name: FleetComponent, executable: string, args: string[], readyUrl: string, extraEnv: NodeJS.ProcessEnv = {}): ComponentSpec => ({
    name,
    executable,
    args,
    env: { ...env, ...extraEnv },
    readyUrl,
    log: path.join(dir, 'logs', `${name}.log`),
  });
  const specs: ComponentSpec[] = [];

  ports.alertmanager.forEach((node, i) => {
    const peers = ports.alertmanager.filter((_, j) => j !== i).map((peer) => `--cluster.peer=${loopback(peer.cluster)}`);
    specs.push(
      spec(
        alertmanagerName(i),
        binaries.alertmanager,
        [
          `--config.file=${options.alertmanagerConfig}`,
          `--storage.path=${file(`${alertmanagerName(i)}-data`)}`,
          `--web.listen-address=${loopback(node.web)}`,
          `--web.external-url=${httpUrl(node.web)}/`,
          `--cluster.listen-address=${loopback(node.cluster)}`,
          `--cluster.advertise-address=${loopback(node.cluster)}`,
          ...peers,
          `--cluster.peer-timeout=${options.peerTimeout}`,
          '--cluster.gossip-interval=200ms',
          '--cluster.pushpull-interval=10s',
          '--cluster.reconnect-interval=2s',
          '--cluster.settle-timeout=5s',
        ],
        `${httpUrl(node.web)}/-/ready`,
      ),
    );
  });

  writeConfig(file('jaeger.yml'), jaegerConfig(ports.jaeger));
  specs.push(spec('jaeger', binaries.jaeger, [`--config=${file('jaeger.yml')}`], `${httpUrl(ports.jaeger.jaegerHealth)}/status`));

  // The gateway tier of the plain stack's gateway.yaml (tail sampling of whole plans) in front of the trace backend.
  ports.gateways.forEach((gateway, i) => {
    specs.push(
      spec(gatewayName(i), binaries.otelcol, [`--config=${shipped.gatewayConfig()}`], `${httpUrl(gateway.health)}/`, {
        GATEWAY_ID: gatewayName(i),
        OTLP_GRPC_ENDPOINT: loopback(gateway.otlpGrpc),
        OTLP_HTTP_ENDPOINT: loopback(gateway.otlpHttp),
        TRACE_BACKEND_OTLP_ENDPOINT: loopback(ports.jaeger.jaegerOtlpGrpc),
        HEALTH_CHECK_ENDPOINT: loopback(gateway.health),
        COLLECTOR_TELEMETRY_PORT: String(gateway.telemetry),
        ...options.gatewayEnv,
      }),
    );
  });
  const gatewayEndpoints = `[${ports.gateways.map((gateway) => loopback(gateway.otlpGrpc)).join(', ')}]`;

  for (const region of REGIONS) {
    const own = ports.regions[region];
    for (const replica of REPLICAS) {
      const name = prometheusName(region, replica);
      const config = file(`${name}.yml`);
      writeConfig(config, replicaConfig(ports, region, replica, options.ruleFiles, options.evaluationInterval));
      const port = own.prometheus[replica];
      const data = prometheusDataDir(dir, region, replica);
      specs.push(
        spec(
          name,
          binaries.prometheus,
          [
            `--config.file=${config}`,
            `--storage.tsdb.path=${data}`,
            '--storage.tsdb.retention.time=100y',
            `--web.listen-address=${loopback(port)}`,
            `--web.external-url=${httpUrl(port)}/`,
            '--web.enable-otlp-receiver',
            '--web.enable-remote-write-receiver',
            '--web.enable-lifecycle',
            '--enable-feature=exemplar-storage',
          ],
          `${httpUrl(port)}/-/ready`,
        ),
      );
      const sidecar = own.sidecar[replica];
      specs.push(
        spec(
          sidecarName(region, replica),
          binaries.thanos,
          [
            'sidecar',
            `--prometheus.url=${httpUrl(port)}`,
            `--tsdb.path=${data}`,
            `--grpc-address=${loopback(sidecar.grpc)}`,
            `--http-address=${loopback(sidecar.http)}`,
            // How often the sidecar checks its Prometheus (30s by default): until it sees a restarted replica ready,
            // it answers Thanos Query "not ready" and Query leaves that replica out (dedup=false then shows one replica).
            '--prometheus.get_config_interval=5s',
          ],
          `${httpUrl(sidecar.http)}/-/ready`,
        ),
      );
    }
    specs.push(
      spec(agentName(region), binaries.otelcol, [`--config=${shipped.fleetAgentConfig()}`], `${httpUrl(own.agent.health)}/`, {
        OTLP_GRPC_ENDPOINT: loopback(own.agent.otlpGrpc),
        OTLP_HTTP_ENDPOINT: loopback(own.agent.otlpHttp),
        PROMETHEUS_A_OTLP_ENDPOINT: `${httpUrl(own.prometheus.a)}/api/v1/otlp`,
        PROMETHEUS_B_OTLP_ENDPOINT: `${httpUrl(own.prometheus.b)}/api/v1/otlp`,
        GATEWAY_OTLP_ENDPOINTS: gatewayEndpoints,
        HEALTH_CHECK_ENDPOINT: loopback(own.agent.health),
        COLLECTOR_TELEMETRY_PORT: String(own.agent.telemetry),
      }),
    );
  }

  const stores = REGIONS.flatMap((region) => REPLICAS.map((replica) => `--endpoint=${loopback(ports.regions[region].sidecar[replica].grpc)}`));
  specs.push(
    spec(
      'query',
      binaries.thanos,
      [
        'query',
        `--http-address=${loopback(ports.query.http)}`,
        `--grpc-address=${loopback(ports.query.grpc)}`,
        ...stores,
        `--query.replica-label=${REPLICA_LABEL}`,
        // A dead sidecar is dropped from the endpoint set after this long (5m by default); until then Query answers from the rest with a warning.
        '--store.unhealthy-timeout=30s',
      ],
      `${httpUrl(ports.query.http)}/-/ready`,
    ),
  );
  if (specs.length !== ALERTMANAGER_NODES + 2 + GATEWAYS + REGIONS.length * (REPLICAS.length * 2 + 1)) throw new Error('fleet specs out of step with the topology');
  return Object.fromEntries(specs.map((s) => [s.name, s])) as Record<FleetComponent, ComponentSpec>;
}

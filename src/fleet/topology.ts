/** The fleet topology: its regions, replicas and processes, their names and ports (all on 127.0.0.1). */

/** The two regions the local fleet runs; each is one Collector agent and a Prometheus HA pair. */
export const REGIONS = ['eu', 'us'] as const;
export type Region = (typeof REGIONS)[number];

/** The two replicas of a region's Prometheus pair; same data, same rules. */
export const REPLICAS = ['a', 'b'] as const;
export type Replica = (typeof REPLICAS)[number];

/**
 * External labels every Prometheus of the fleet carries (its series, as served by its Thanos
 * sidecar, and its alerts). Thanos Query deduplicates by the replica label; Prometheus drops it
 * from alerts so that both replicas send Alertmanager the same alert.
 */
export const REGION_LABEL = 'region';
export const REPLICA_LABEL = 'replica';

/** Alertmanager cluster size (the nodes gossip on 127.0.0.1). */
export const ALERTMANAGER_NODES = 2;

/** Collector gateways of the trace path: the agents route each trace to one of them by trace ID. */
export const GATEWAYS = 2;

export type FleetComponent =
  | `alertmanager-${number}`
  | 'jaeger'
  | `gateway-${number}`
  | `${Region}-prometheus-${Replica}`
  | `${Region}-sidecar-${Replica}`
  | `${Region}-agent`
  | 'query';

export const prometheusName = (region: Region, replica: Replica): FleetComponent => `${region}-prometheus-${replica}`;
export const sidecarName = (region: Region, replica: Replica): FleetComponent => `${region}-sidecar-${replica}`;
export const agentName = (region: Region): FleetComponent => `${region}-agent`;
export const alertmanagerName = (node: number): FleetComponent => `alertmanager-${node}`;
export const gatewayName = (index: number): FleetComponent => `gateway-${index}`;

/** Start order: each wave starts together once the previous one is ready. */
export function startWaves(): FleetComponent[][] {
  const nodes = Array.from({ length: ALERTMANAGER_NODES }, (_, i) => alertmanagerName(i));
  const pairs = (name: (region: Region, replica: Replica) => FleetComponent) => REGIONS.flatMap((r) => REPLICAS.map((p) => name(r, p)));
  return [
    // Prometheus after Alertmanager: an alert firing on the first evaluation must find a receiver.
    [...nodes, 'jaeger'],
    // The gateways once their trace backend is up.
    [...pairs(prometheusName), ...Array.from({ length: GATEWAYS }, (_, i) => gatewayName(i))],
    pairs(sidecarName),
    ['query'],
    // Agents last: their exporters find both replicas of their region, and the gateways, up.
    REGIONS.map(agentName),
  ];
}

/** Every port of a running fleet, picked at run time. */
export interface FleetPorts {
  alertmanager: { web: number; cluster: number }[];
  jaeger: { jaegerOtlpGrpc: number; jaegerQueryHttp: number; jaegerQueryGrpc: number; jaegerHealth: number };
  gateways: { otlpGrpc: number; otlpHttp: number; health: number; telemetry: number }[];
  regions: Record<
    Region,
    {
      prometheus: Record<Replica, number>;
      sidecar: Record<Replica, { grpc: number; http: number }>;
      agent: { otlpGrpc: number; otlpHttp: number; health: number; telemetry: number };
    }
  >;
  query: { http: number; grpc: number };
}

/** How many ports `assignPorts` takes. */
export const PORT_COUNT = ALERTMANAGER_NODES * 2 + 4 + GATEWAYS * 4 + REGIONS.length * (REPLICAS.length * 3 + 4) + 2;

/** Distributes `ports` (distinct, free) over the fleet's listeners. */
export function assignPorts(ports: readonly number[]): FleetPorts {
  if (ports.length !== PORT_COUNT) throw new Error(`the fleet needs ${PORT_COUNT} ports, got ${ports.length}`);
  let i = 0;
  const next = () => ports[i++];
  const alertmanager = Array.from({ length: ALERTMANAGER_NODES }, () => ({ web: next(), cluster: next() }));
  const jaeger = { jaegerOtlpGrpc: next(), jaegerQueryHttp: next(), jaegerQueryGrpc: next(), jaegerHealth: next() };
  const gateways = Array.from({ length: GATEWAYS }, () => ({ otlpGrpc: next(), otlpHttp: next(), health: next(), telemetry: next() }));
  const region = () => ({
    prometheus: { a: next(), b: next() },
    sidecar: { a: { grpc: next(), http: next() }, b: { grpc: next(), http: next() } },
    agent: { otlpGrpc: next(), otlpHttp: next(), health: next(), telemetry: next() },
  });
  const regions = { eu: region(), us: region() };
  return { alertmanager, jaeger, gateways, regions, query: { http: next(), grpc: next() } };
}

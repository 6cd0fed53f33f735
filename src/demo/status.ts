/**
 * What the demo's screen shows, per namespace/cluster: from Prometheus (what reached it through the
 * Collector, and the alerts its rules evaluate), or, without the stack, from the SDK's own metric
 * data (what the pull endpoints serve).
 */
import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { LABELS, METRICS, type RebalanceTelemetryHandle } from '../index';

export interface ScopeStatus {
  /** `cluster/namespace`. */
  scope: string;
  /** The controller holding the lease, if one does. */
  leader: string | undefined;
  /** Live plans by state (non-zero states only). */
  plans: Record<string, number>;
  inFlight: number | undefined;
  limit: number | undefined;
  /** Seconds since the leader's last heartbeat. */
  heartbeatAge: number | undefined;
  /** Moves completed and failed in the last 5 minutes (Prometheus only). */
  completed5m: number | undefined;
  failed5m: number | undefined;
}

export interface ActiveAlert {
  alertname: string;
  state: 'pending' | 'firing';
  severity: string | undefined;
  scope: string | undefined;
  /** The labels that tell apart alerts of one name in one scope (plan_id, policy, reason, controller, cause). */
  detail: string;
  /** A key stable while the alert is active. */
  key: string;
}

export interface Snapshot {
  scopes: Map<string, ScopeStatus>;
  /** Undefined when no Prometheus evaluates the rules. */
  alerts: ActiveAlert[] | undefined;
  /** Why the last refresh failed, if it did. */
  error: string | undefined;
}

const NS = LABELS.namespace.name;
const CLUSTER = LABELS.cluster.name;
const STATE = LABELS.planState.name;
const CONTROLLER = LABELS.controller.name;
const OUTCOME = LABELS.moveOutcome.name;
const PROCESS = `${NS}, ${CLUSTER}, job, instance`;
const LEADER = `(${METRICS.leader.name} == 1)`;
const byScope = `by (${CLUSTER}, ${NS})`;
const onLeader = (expr: string) => `${expr} and on (${PROCESS}) ${LEADER}`;
/** Labels shown beside an alert's name (the scope is shown on its own). */
const DETAIL_LABELS = [LABELS.planId.name, LABELS.policy.name, 'reason', CONTROLLER, 'cause', 'hook', 'instance'];

export const QUERIES = {
  plans: `sum by (${CLUSTER}, ${NS}, ${STATE}) (${onLeader(METRICS.plans.name)}) > 0`,
  inFlight: `sum ${byScope} (${onLeader(METRICS.shardsInFlight.name)})`,
  limit: `max ${byScope} (${onLeader(METRICS.maxConcurrentMoves.name)})`,
  leader: `${METRICS.leader.name} == 1`,
  heartbeatAge: `max ${byScope} (time() - ${METRICS.heartbeat.name} and on (${PROCESS}, ${CONTROLLER}) ${LEADER})`,
  moves5m: `sum by (${CLUSTER}, ${NS}, ${OUTCOME}) (increase(${METRICS.movesTotal.name}[5m]))`,
} as const;

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

interface PromAlert {
  labels: Record<string, string>;
  state: string;
}

function emptyScope(scope: string): ScopeStatus {
  return { scope, leader: undefined, plans: {}, inFlight: undefined, limit: undefined, heartbeatAge: undefined, completed5m: undefined, failed5m: undefined };
}

const scopeOf = (labels: Record<string, string>): string | undefined =>
  labels[CLUSTER] && labels[NS] ? `${labels[CLUSTER]}/${labels[NS]}` : undefined;

/** Reads the screen's figures and the active alerts from Prometheus's HTTP API. */
export class PrometheusStatus {
  constructor(
    private readonly url: string,
    private readonly scopes: readonly string[],
  ) {}

  async snapshot(): Promise<Snapshot> {
    const scopes = new Map(this.scopes.map((s) => [s, emptyScope(s)]));
    try {
      const [plans, inFlight, limit, leader, heartbeat, moves, alerts] = await Promise.all([
        this.query(QUERIES.plans),
        this.query(QUERIES.inFlight),
        this.query(QUERIES.limit),
        this.query(QUERIES.leader),
        this.query(QUERIES.heartbeatAge),
        this.query(QUERIES.moves5m),
        this.alerts(),
      ]);
      const each = (samples: PromSample[], apply: (status: ScopeStatus, sample: PromSample, value: number) => void) => {
        for (const sample of samples) {
          const status = scopes.get(scopeOf(sample.metric) ?? '');
          if (status) apply(status, sample, Number(sample.value[1]));
        }
      };
      each(plans, (s, sample, v) => (s.plans[sample.metric[STATE]] = Math.round(v)));
      each(inFlight, (s, _sample, v) => (s.inFlight = v));
      each(limit, (s, _sample, v) => (s.limit = v));
      each(leader, (s, sample) => (s.leader = sample.metric[CONTROLLER]));
      each(heartbeat, (s, _sample, v) => (s.heartbeatAge = v));
      for (const status of scopes.values()) if (status.leader) status.completed5m = status.failed5m = 0;
      each(moves, (s, sample, v) => {
        if (sample.metric[OUTCOME] === 'completed') s.completed5m = Math.round(v);
        else if (sample.metric[OUTCOME] === 'failed') s.failed5m = Math.round(v);
      });
      return { scopes, alerts, error: undefined };
    } catch (error) {
      return { scopes, alerts: [], error: (error as Error).message };
    }
  }

  private async query(query: string): Promise<PromSample[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { status: string; data?: { result: PromSample[] }; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus refused a query: ${body.error}`);
    return body.data!.result;
  }

  private async alerts(): Promise<ActiveAlert[]> {
    const response = await fetch(`${this.url}/api/v1/alerts`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { status: string; data?: { alerts: PromAlert[] } };
    if (body.status !== 'success') throw new Error('Prometheus did not list its alerts');
    return body.data!.alerts.filter((a) => a.labels.alertname?.startsWith('MeshKitRebalance')).map(toActiveAlert);
  }
}

export function toActiveAlert(alert: PromAlert): ActiveAlert {
  const { labels } = alert;
  const detail = DETAIL_LABELS.filter((name) => labels[name]).map((name) => `${name}=${labels[name]}`).join(' ');
  const scope = scopeOf(labels);
  return {
    alertname: labels.alertname,
    state: alert.state === 'firing' ? 'firing' : 'pending',
    severity: labels.severity,
    scope,
    detail,
    key: `${labels.alertname}|${scope ?? ''}|${detail}`,
  };
}

/** Reads the figures from each controller's own metric data (what its pull endpoint serves); no alerts. */
export class LocalStatus {
  constructor(
    private readonly controllers: () => readonly { handle: RebalanceTelemetryHandle }[],
    private readonly scopes: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  async snapshot(): Promise<Snapshot> {
    const scopes = new Map(this.scopes.map((s) => [s, emptyScope(s)]));
    for (const { handle } of this.controllers()) {
      // Gauges only: their OpenTelemetry name is the Prometheus one (a counter may share it without `_total`).
      const gauges = new Map<string, MetricData>();
      for (const m of handle.metricProducer.collectMetrics()) if (m.dataPointType === DataPointType.GAUGE) gauges.set(m.descriptor.name, m);
      const points = (spec: (typeof METRICS)['leader' | 'plans' | 'shardsInFlight' | 'maxConcurrentMoves' | 'heartbeat']) =>
        (gauges.get(spec.name)?.dataPoints ?? []).map((p) => ({ attributes: p.attributes, value: p.value as number }));
      const leader = points(METRICS.leader).find((p) => p.value === 1);
      if (!leader) continue;
      const status = scopes.get(scopeOf(leader.attributes as Record<string, string>) ?? '');
      if (!status) continue;
      status.leader = String(leader.attributes[CONTROLLER]);
      for (const p of points(METRICS.plans)) if (p.value > 0) status.plans[String(p.attributes[STATE])] = p.value;
      status.inFlight = points(METRICS.shardsInFlight)[0]?.value;
      status.limit = points(METRICS.maxConcurrentMoves)[0]?.value;
      const beat = points(METRICS.heartbeat)[0]?.value;
      status.heartbeatAge = beat === undefined ? undefined : Math.max(0, this.now() / 1000 - beat);
    }
    return { scopes, alerts: undefined, error: undefined };
  }
}

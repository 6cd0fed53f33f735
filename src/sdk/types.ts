import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type * as E from '../schema/enums';
import type { TelemetryLimits } from '../schema/limits';

export interface RebalanceTelemetryOptions {
  /** MeshKit namespace the controller manages (label `namespace`). */
  namespace: string;
  /** Cluster the controller runs in (label `cluster`). */
  cluster: string;
  /** This controller instance (label `controller`, resource `service.instance.id`). */
  controllerId: string;
  /**
   * Serve a Prometheus pull endpoint. `host` is an IP address or host name (every interface only
   * when spelled `0.0.0.0` or `::`); `port` 0 picks a free port; `endpoint` is a path starting
   * with `/`. Whether it listens is told by the handle's `ready` promise.
   * @default host 127.0.0.1, port 9464, endpoint /metrics
   */
  prometheus?: { host?: string; port?: number; endpoint?: string };
  /**
   * Push metrics and traces over OTLP http/protobuf. `endpoint` is the base URL (`/v1/metrics` and
   * `/v1/traces` are appended); without it the standard `OTEL_EXPORTER_OTLP_*` variables apply.
   * `metricExportIntervalMillis` is at least 1000 (OTEL_METRIC_EXPORT_INTERVAL under that is raised
   * to it, one that is not a number is ignored). @default 15000
   */
  otlp?: { endpoint?: string; metricExportIntervalMillis?: number };
  /**
   * Longest time `forceFlush()` and `shutdown()` take, whatever the network or the pull endpoint's
   * clients do; what is not done by then is abandoned (and reported through `diag`). @default 5000
   */
  shutdownTimeoutMillis?: number;
  /**
   * A meter provider the controller already owns. Counters, gauges and histograms are registered on
   * it; per-plan and per-node series are not (OpenTelemetry JS never drops an attribute set an
   * observable instrument reported): give the SDK its own `prometheus`/`otlp` exporters for those.
   */
  meterProvider?: MeterProvider;
  /** A tracer provider the controller already owns; otherwise spans go over OTLP when `otlp` is set. */
  tracerProvider?: TracerProvider;
  limits?: Partial<TelemetryLimits>;
  /**
   * Emit the namespace and cluster labels under these names, e.g. `{ cluster: 'k8s_cluster' }` when
   * the Prometheus that scrapes the controller sets `cluster` as an external label. Give the rules and
   * dashboards the same names (site.yaml `labelNames`). @default the schema's names
   */
  labelNames?: { namespace?: string; cluster?: string };
  /** Wall clock in milliseconds since the epoch; a simulator passes its virtual clock. @default Date.now */
  clock?: () => number;
}

export interface PlanRef {
  planId: string;
}
export interface MoveRef extends PlanRef {
  shardId: string;
}

export interface HookArgs {
  controllerHeartbeat: Record<string, never> | undefined;
  controllerStateChanged: { state: E.ControllerState };
  leadershipChanged: { isLeader: boolean };
  policyLimitsChanged: { maxConcurrentMoves: number };
  /** `deadline`: milliseconds since the epoch (the `clock`'s) the plan must finish by; after its creation. */
  planCreated: PlanRef & { trigger: E.PlanTrigger; movesPlanned: number; dryRun?: boolean; deadline?: number };
  planSubmitted: PlanRef;
  planApproved: PlanRef & { actor?: string; decision?: 'approved' | 'auto_approved' };
  planRejected: PlanRef & { actor?: string };
  planBlocked: PlanRef & { policy: E.Policy };
  planOverrideAcknowledged: PlanRef & { actor?: string };
  planStarted: PlanRef;
  planPaused: PlanRef;
  planResumed: PlanRef;
  planCompleted: PlanRef;
  planFailed: PlanRef & { reason: E.PlanFailureReason };
  planCancelled: PlanRef;
  planRolledBack: PlanRef;
  moveStarted: MoveRef & { fromNode: string; toNode: string };
  moveDrainProgress: MoveRef & { remaining: number; ratio: number };
  moveHandoff: MoveRef;
  moveVerifying: MoveRef;
  moveCompleted: MoveRef;
  moveFailed: MoveRef & { reason: E.MoveFailureReason };
  policyViolation: { policy: E.Policy; action: E.PolicyAction; planId?: string };
  shardOwnership: { nodes: ReadonlyArray<{ node: string; status: E.NodeStatus; count: number }> };
  candidateSkipped: { reason: E.SkipReason };
}

/** One method per lifecycle event; none of them throws, whatever it is given. */
export type RebalanceHooks = {
  [K in E.HookName]: (...args: undefined extends HookArgs[K] ? [args?: HookArgs[K]] : [args: HookArgs[K]]) => void;
};

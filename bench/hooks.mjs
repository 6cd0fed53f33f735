// Per-hook cost of the built SDK against what a controller would otherwise call: raw OpenTelemetry
// instruments, prom-client, and a plain Map. Every subject's loop is written out on its own line
// (see harness.mjs), with the arguments built inside the loop as a controller would write them.
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import promClient from 'prom-client';
import { createRebalanceTelemetry, METRICS } from '../dist/esm/index.mjs';

const NS = 'payments';
const CLUSTER = 'eu-west-1a';
const CTL = 'rebalancer-0';

/** A reader that never exports: the instruments aggregate as they would under any reader. */
class IdleReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

export const TARGETS = [
  { group: 'candidateSkipped', subject: 'sdk.candidateSkipped', ref: 'prom.inc', max: 1.0, text: 'counting hook <= 1.0x prom-client inc' },
  { group: 'policyViolation', subject: 'sdk.policyViolation', ref: 'prom.inc', max: 1.0, text: 'counting hook <= 1.0x prom-client inc' },
  { group: 'moveLifecycle', subject: 'sdk.moveStarted+moveCompleted', ref: 'prom.observe x2', max: 1.3, text: 'histogram hook <= 1.3x prom-client observe' },
];

/** A span processor that keeps nothing: the tracer still builds and ends every span, as under a batch exporter. */
const DROP = { onStart() {}, onEnd() {}, async forceFlush() {}, async shutdown() {} };

export function buildSubjects() {
  // ---- the SDK: no tracerProvider, no otlp, so spans come from the global no-op tracer ----------
  const sdk = createRebalanceTelemetry({ namespace: NS, cluster: CLUSTER, controllerId: CTL });
  const PLAN = 'bench-plan';
  sdk.planCreated({ planId: PLAN, trigger: 'manual', movesPlanned: 1e12 });
  sdk.planStarted({ planId: PLAN });
  const SHARDS = Array.from({ length: 1024 }, (_, i) => `shard-${i}`);
  const DRAIN_PLAN = 'drain-plan';
  const DRAIN_SHARD = 'drain-shard';
  sdk.planCreated({ planId: DRAIN_PLAN, trigger: 'node_drain', movesPlanned: 1 });
  sdk.planStarted({ planId: DRAIN_PLAN });
  sdk.moveStarted({ planId: DRAIN_PLAN, shardId: DRAIN_SHARD, fromNode: 'node-a', toNode: 'node-b' });

  // ---- the SDK with a recording tracer: moves get their spans and the in-flight start marker -----
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [DROP] });
  const traced = createRebalanceTelemetry({ namespace: NS, cluster: CLUSTER, controllerId: 'rebalancer-traced', tracerProvider });
  traced.planCreated({ planId: PLAN, trigger: 'manual', movesPlanned: 1e12 });
  traced.planStarted({ planId: PLAN });
  const rawTracer = tracerProvider.getTracer('bench');
  const rawPlan = trace.setSpan(ROOT_CONTEXT, rawTracer.startSpan('plan', { root: true }));

  // ---- raw OpenTelemetry -----------------------------------------------------------------------
  const provider = new MeterProvider({ readers: [new IdleReader()] });
  const meter = provider.getMeter('bench');
  const otelSkipped = meter.createCounter('candidates_skipped');
  const otelViolations = meter.createCounter('policy_violations');
  const otelMove = meter.createHistogram('move_duration_seconds', { advice: { explicitBucketBoundaries: [...METRICS.moveDuration.buckets] } });
  const otelPhase = meter.createHistogram('move_phase_duration_seconds', { advice: { explicitBucketBoundaries: [...METRICS.movePhaseDuration.buckets] } });
  const otelDrain = meter.createUpDownCounter('drain_remaining');

  // ---- prom-client -----------------------------------------------------------------------------
  const registers = [new promClient.Registry()];
  const promSkipped = new promClient.Counter({ name: 'skipped_total', help: 'h', labelNames: ['namespace', 'cluster', 'reason'], registers });
  const promViolations = new promClient.Counter({ name: 'violations_total', help: 'h', labelNames: ['namespace', 'cluster', 'policy', 'action'], registers });
  const promMove = new promClient.Histogram({ name: 'move_seconds', help: 'h', labelNames: ['namespace', 'cluster', 'outcome'], buckets: [...METRICS.moveDuration.buckets], registers });
  const promPhase = new promClient.Histogram({ name: 'phase_seconds', help: 'h', labelNames: ['namespace', 'cluster', 'phase'], buckets: [...METRICS.movePhaseDuration.buckets], registers });
  const promDrain = new promClient.Gauge({ name: 'drain_remaining', help: 'h', labelNames: ['namespace', 'cluster'], registers });
  const skippedChild = promSkipped.labels(NS, CLUSTER, 'cooldown');
  const violationChild = promViolations.labels(NS, CLUSTER, 'cooldown', 'warn');

  // ---- plain Map -------------------------------------------------------------------------------
  const mapSkipped = new Map();
  const mapViolations = new Map();

  // Realistic durations for the baselines (the SDK measures its own with Date.now()).
  const MOVE_S = 2.0;
  const PHASE_S = 0.3;

  const subjects = [
    // candidateSkipped({reason}) -> meshkit_rebalance_candidates_skipped_total{namespace,cluster,reason}
    { group: 'candidateSkipped', id: 'sdk.candidateSkipped', label: "sdk candidateSkipped({reason:'cooldown'})",
      run(n) { for (let i = 0; i < n; i++) sdk.candidateSkipped({ reason: 'cooldown' }); } },
    { group: 'candidateSkipped', id: 'otel.add', label: 'otel Counter.add(1, {namespace,cluster,reason})',
      run(n) { for (let i = 0; i < n; i++) otelSkipped.add(1, { namespace: NS, cluster: CLUSTER, reason: 'cooldown' }); } },
    { group: 'candidateSkipped', id: 'prom.inc', label: 'prom counter.inc({namespace,cluster,reason})',
      run(n) { for (let i = 0; i < n; i++) promSkipped.inc({ namespace: NS, cluster: CLUSTER, reason: 'cooldown' }); } },
    { group: 'candidateSkipped', id: 'prom.labels.inc', label: 'prom counter.labels(ns,cluster,reason).inc()',
      run(n) { for (let i = 0; i < n; i++) promSkipped.labels(NS, CLUSTER, 'cooldown').inc(); } },
    { group: 'candidateSkipped', id: 'prom.child.inc', label: '(info) prom pre-bound child.inc()',
      run(n) { for (let i = 0; i < n; i++) skippedChild.inc(); } },
    { group: 'candidateSkipped', id: 'map', label: "Map counter m.set(k, (m.get(k)??0)+1)",
      run(n) { for (let i = 0; i < n; i++) { const k = 'cooldown'; mapSkipped.set(k, (mapSkipped.get(k) ?? 0) + 1); } } },

    // policyViolation({policy, action}) -> meshkit_rebalance_policy_violations_total{namespace,cluster,policy,action}
    { group: 'policyViolation', id: 'sdk.policyViolation', label: "sdk policyViolation({policy:'cooldown',action:'warn'})",
      run(n) { for (let i = 0; i < n; i++) sdk.policyViolation({ policy: 'cooldown', action: 'warn' }); } },
    { group: 'policyViolation', id: 'otel.add', label: 'otel Counter.add(1, {namespace,cluster,policy,action})',
      run(n) { for (let i = 0; i < n; i++) otelViolations.add(1, { namespace: NS, cluster: CLUSTER, policy: 'cooldown', action: 'warn' }); } },
    { group: 'policyViolation', id: 'prom.inc', label: 'prom counter.inc({namespace,cluster,policy,action})',
      run(n) { for (let i = 0; i < n; i++) promViolations.inc({ namespace: NS, cluster: CLUSTER, policy: 'cooldown', action: 'warn' }); } },
    { group: 'policyViolation', id: 'prom.labels.inc', label: 'prom counter.labels(ns,cluster,policy,action).inc()',
      run(n) { for (let i = 0; i < n; i++) promViolations.labels(NS, CLUSTER, 'cooldown', 'warn').inc(); } },
    { group: 'policyViolation', id: 'prom.child.inc', label: '(info) prom pre-bound child.inc()',
      run(n) { for (let i = 0; i < n; i++) violationChild.inc(); } },
    { group: 'policyViolation', id: 'map', label: "Map counter keyed 'cooldown:warn'",
      run(n) { for (let i = 0; i < n; i++) { const k = 'cooldown:warn'; mapViolations.set(k, (mapViolations.get(k) ?? 0) + 1); } } },

    // moveStarted + moveCompleted -> move duration + drain phase duration histograms (+ moves_total)
    { group: 'moveLifecycle', id: 'sdk.moveStarted+moveCompleted', label: 'sdk moveStarted + moveCompleted (no-op spans)',
      run(n) {
        for (let i = 0; i < n; i++) {
          const shardId = SHARDS[i & 1023];
          sdk.moveStarted({ planId: PLAN, shardId, fromNode: 'node-a', toNode: 'node-b' });
          sdk.moveCompleted({ planId: PLAN, shardId });
        }
      } },
    { group: 'moveLifecycle', id: 'otel.record x2', label: 'otel Histogram.record x2 (move + phase)',
      run(n) {
        for (let i = 0; i < n; i++) {
          otelPhase.record(PHASE_S, { namespace: NS, cluster: CLUSTER, phase: 'drain' });
          otelMove.record(MOVE_S, { namespace: NS, cluster: CLUSTER, outcome: 'completed' });
        }
      } },
    { group: 'moveLifecycle', id: 'prom.observe x2', label: 'prom histogram.observe(labels, v) x2 (move + phase)',
      run(n) {
        for (let i = 0; i < n; i++) {
          promPhase.observe({ namespace: NS, cluster: CLUSTER, phase: 'drain' }, PHASE_S);
          promMove.observe({ namespace: NS, cluster: CLUSTER, outcome: 'completed' }, MOVE_S);
        }
      } },
    { group: 'moveLifecycle', id: 'prom.observe x2 +timing', label: '(info) prom observe x2 + the Date.now() x2 a controller would time with',
      run(n) {
        for (let i = 0; i < n; i++) {
          const t0 = Date.now();
          const d = (Date.now() - t0) / 1000 + MOVE_S;
          promPhase.observe({ namespace: NS, cluster: CLUSTER, phase: 'drain' }, d - 1.7);
          promMove.observe({ namespace: NS, cluster: CLUSTER, outcome: 'completed' }, d);
        }
      } },

    // The same move with a recording tracer: the SDK's move and drain spans, its start marker, its two
    // histogram records, against raw OpenTelemetry doing the spans and records without the marker,
    // and with it (the marker's own share).
    { group: 'tracedMove', id: 'sdk.traced', label: 'sdk moveStarted + moveCompleted (recording tracer, start marker)',
      run(n) {
        for (let i = 0; i < n; i++) {
          const shardId = SHARDS[i & 1023];
          traced.moveStarted({ planId: PLAN, shardId, fromNode: 'node-a', toNode: 'node-b' });
          traced.moveCompleted({ planId: PLAN, shardId });
        }
      } },
    { group: 'tracedMove', id: 'otel.spans', label: 'otel move + drain spans (attributes) + Histogram.record x2',
      run(n) {
        for (let i = 0; i < n; i++) {
          const shardId = SHARDS[i & 1023];
          const attributes = { 'meshkit.namespace': NS, 'meshkit.cluster': CLUSTER, 'meshkit.controller': CTL, 'meshkit.plan.id': PLAN, 'meshkit.shard.id': shardId, 'meshkit.move.from_node': 'node-a', 'meshkit.move.to_node': 'node-b' };
          const move = rawTracer.startSpan('move', { attributes }, rawPlan);
          const drain = rawTracer.startSpan('drain', { attributes: { 'meshkit.plan.id': PLAN, 'meshkit.shard.id': shardId, 'meshkit.move.phase': 'drain' } }, trace.setSpan(ROOT_CONTEXT, move));
          drain.end();
          otelPhase.record(PHASE_S, { namespace: NS, cluster: CLUSTER, phase: 'drain' });
          move.setAttribute('meshkit.move.outcome', 'completed');
          move.end();
          otelMove.record(MOVE_S, { namespace: NS, cluster: CLUSTER, outcome: 'completed' });
        }
      } },
    { group: 'tracedMove', id: 'otel.spans+marker', label: '(info) the same + a zero-length marker span',
      run(n) {
        for (let i = 0; i < n; i++) {
          const shardId = SHARDS[i & 1023];
          const attributes = { 'meshkit.namespace': NS, 'meshkit.cluster': CLUSTER, 'meshkit.controller': CTL, 'meshkit.plan.id': PLAN, 'meshkit.shard.id': shardId, 'meshkit.move.from_node': 'node-a', 'meshkit.move.to_node': 'node-b' };
          const move = rawTracer.startSpan('move', { attributes }, rawPlan);
          const moveContext = trace.setSpan(ROOT_CONTEXT, move);
          rawTracer.startSpan('started', { attributes }, moveContext).end();
          const drain = rawTracer.startSpan('drain', { attributes: { 'meshkit.plan.id': PLAN, 'meshkit.shard.id': shardId, 'meshkit.move.phase': 'drain' } }, moveContext);
          drain.end();
          otelPhase.record(PHASE_S, { namespace: NS, cluster: CLUSTER, phase: 'drain' });
          move.setAttribute('meshkit.move.outcome', 'completed');
          move.end();
          otelMove.record(MOVE_S, { namespace: NS, cluster: CLUSTER, outcome: 'completed' });
        }
      } },

    // moveDrainProgress -> drain-remaining gauge (and plan progress time)
    { group: 'drainProgress', id: 'sdk.moveDrainProgress', label: 'sdk moveDrainProgress({planId,shardId,remaining,ratio})',
      run(n) {
        for (let i = 0; i < n; i++) {
          const left = 65535 - (i & 65535);
          sdk.moveDrainProgress({ planId: DRAIN_PLAN, shardId: DRAIN_SHARD, remaining: left, ratio: left / 65536 });
        }
      } },
    { group: 'drainProgress', id: 'otel.updown.add', label: 'otel UpDownCounter.add(delta, {namespace,cluster})',
      run(n) {
        for (let i = 0; i < n; i++) {
          const left = 65535 - (i & 65535);
          otelDrain.add(left === 65535 ? 65535 : -1, { namespace: NS, cluster: CLUSTER });
        }
      } },
    { group: 'drainProgress', id: 'prom.gauge.set', label: 'prom gauge.set({namespace,cluster}, remaining)',
      run(n) {
        for (let i = 0; i < n; i++) {
          const left = 65535 - (i & 65535);
          promDrain.set({ namespace: NS, cluster: CLUSTER }, left);
        }
      } },
  ];
  for (const s of subjects) s.key = `${s.group}/${s.id}`;

  /** After timing: every SDK call must have been recorded, none rejected (else we timed the error path). */
  async function verify() {
    const { resourceMetrics } = await sdk.metricProducer.collect();
    const metrics = resourceMetrics.scopeMetrics[0].metrics;
    const sum = (name) => (metrics.find((m) => m.descriptor.name === name)?.dataPoints ?? []).reduce((a, p) => a + (typeof p.value === 'number' ? p.value : p.value.count), 0);
    const rejected = sum('meshkit_rebalance_telemetry_rejected');
    return {
      rejected,
      candidatesSkipped: sum('meshkit_rebalance_candidates_skipped'),
      policyViolations: sum('meshkit_rebalance_policy_violations'),
      movesCompleted: sum('meshkit_rebalance_moves'),
      ok: rejected === 0,
    };
  }
  return { subjects, verify };
}

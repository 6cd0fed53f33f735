// Per-hook cost of the built SDK against what a controller would otherwise call: raw OpenTelemetry
// instruments, prom-client, and a plain Map. Every subject's loop is written out on its own line
// (see harness.mjs), with the arguments built inside the loop as a controller would write them.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import promClient from 'prom-client';
import { createRebalanceTelemetry, METRICS } from '../dist/esm/index.mjs';
import { otelName } from './harness.mjs';

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
  { group: 'atLimit', subject: 'sdk.planCreated rejected x2', ref: 'sdk.planCreated+planCancelled', max: 1.5, text: 'rejected at limit ~ accepted (<= 1.5x)' },
  { group: 'atLimit', subject: 'sdk.planCreated rejected x2 traced', ref: 'sdk.planCreated+planCancelled', max: 1.5, text: 'rejected at limit, traced, ~ accepted untraced' },
  { group: 'atLimit', subject: 'sdk.moveStarted rejected x2', ref: 'sdk.planCreated+planCancelled', max: 1.5, text: 'rejected move at limit ~ accepted pair' },
];

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

  // ---- the SDK with a recording tracer: spans are built and ended (no processor, so none exported) --
  const tracerProvider = new BasicTracerProvider();
  const traced = createRebalanceTelemetry({ namespace: NS, cluster: CLUSTER, controllerId: CTL, tracerProvider });
  traced.planCreated({ planId: PLAN, trigger: 'manual', movesPlanned: 1e12 });
  traced.planStarted({ planId: PLAN });
  traced.planCreated({ planId: DRAIN_PLAN, trigger: 'node_drain', movesPlanned: 1 });
  traced.planStarted({ planId: DRAIN_PLAN });
  traced.moveStarted({ planId: DRAIN_PLAN, shardId: DRAIN_SHARD, fromNode: 'node-a', toNode: 'node-b' });
  const tracer = tracerProvider.getTracer('bench');
  const planSpan = tracer.startSpan('plan', { root: true }, ROOT_CONTEXT);
  const planContext = trace.setSpan(ROOT_CONTEXT, planSpan);
  const drainSpan = tracer.startSpan('drain', {}, planContext);

  // ---- at the table limits: 20,000 live plans, 50,000 live moves (defaults) -----------------------
  const full = createRebalanceTelemetry({ namespace: NS, cluster: CLUSTER, controllerId: CTL });
  const fullTraced = createRebalanceTelemetry({ namespace: NS, cluster: CLUSTER, controllerId: CTL, tracerProvider });
  for (const t of [full, fullTraced]) {
    for (let i = 0; i < 20_000; i++) t.planCreated({ planId: `live-${i}`, trigger: 'manual', movesPlanned: 3 });
  }
  // 50,000 live moves over 20,000 plans, in `full` only.
  for (let i = 0; i < 20_000; i++) full.planStarted({ planId: `live-${i}` });
  for (let m = 0; m < 50_000; m++) full.moveStarted({ planId: `live-${m % 20_000}`, shardId: `s-${m}`, fromNode: 'a', toNode: 'b' });
  const roomy = createRebalanceTelemetry({ namespace: NS, cluster: CLUSTER, controllerId: CTL });
  const roomyTraced = createRebalanceTelemetry({ namespace: NS, cluster: CLUSTER, controllerId: CTL, tracerProvider });
  roomy.planCreated({ planId: PLAN, trigger: 'manual', movesPlanned: 1e12 });
  roomy.planStarted({ planId: PLAN });

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

  /** What a controller would write by hand for one traced move: spans as the SDK sets them (the marker optional) and two histograms. */
  const rawTracedMove = (shardId, withMarker) => {
    const move = tracer.startSpan('move', { attributes: { namespace: NS, cluster: CLUSTER, plan: PLAN, shard: shardId, from: 'node-a', to: 'node-b' } }, planContext);
    const moveContext = trace.setSpan(ROOT_CONTEXT, move);
    if (withMarker) tracer.startSpan('move.started', { attributes: { plan: PLAN, shard: shardId, from: 'node-a' } }, moveContext).end();
    tracer.startSpan('drain', { attributes: { plan: PLAN, shard: shardId, phase: 'drain' } }, moveContext).end();
    promPhase.observe({ namespace: NS, cluster: CLUSTER, phase: 'drain' }, PHASE_S);
    move.setAttribute('outcome', 'completed');
    move.end();
    promMove.observe({ namespace: NS, cluster: CLUSTER, outcome: 'completed' }, MOVE_S);
  };

  const subjects = [
    // candidateSkipped({reason}) -> METRICS.candidatesSkipped{namespace,cluster,reason}
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

    // policyViolation({policy, action}) -> METRICS.policyViolations{namespace,cluster,policy,action}
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

    // The same moves with a recording tracer: a move span and a span per phase, as raw OpenTelemetry would build them
    { group: 'moveLifecycleTraced', id: 'sdk.moveStarted+moveCompleted', label: 'sdk moveStarted + moveCompleted (recording tracer)',
      run(n) {
        for (let i = 0; i < n; i++) {
          const shardId = SHARDS[i & 1023];
          traced.moveStarted({ planId: PLAN, shardId, fromNode: 'node-a', toNode: 'node-b' });
          traced.moveCompleted({ planId: PLAN, shardId });
        }
      } },
    { group: 'moveLifecycleTraced', id: 'otel spans + prom.observe x2', label: 'otel move span + drain span (attributes as the SDK sets) + prom observe x2',
      run(n) {
        for (let i = 0; i < n; i++) rawTracedMove(SHARDS[i & 1023], false);
      } },
    { group: 'moveLifecycleTraced', id: 'otel spans + marker + prom.observe x2', label: '(info) the same plus the zero-length move.started marker span the SDK also ends',
      run(n) {
        for (let i = 0; i < n; i++) rawTracedMove(SHARDS[i & 1023], true);
      } },
    { group: 'drainProgressTraced', id: 'sdk.moveDrainProgress', label: 'sdk moveDrainProgress (recording tracer; events past 16 per move not kept)',
      run(n) {
        for (let i = 0; i < n; i++) {
          const left = 65535 - (i & 65535);
          traced.moveDrainProgress({ planId: DRAIN_PLAN, shardId: DRAIN_SHARD, remaining: left, ratio: left / 65536 });
        }
      } },
    { group: 'drainProgressTraced', id: 'prom.gauge.set + span.addEvent', label: 'prom gauge.set + otel span.addEvent(remaining, ratio) on a recording span',
      run(n) {
        for (let i = 0; i < n; i++) {
          const left = 65535 - (i & 65535);
          promDrain.set({ namespace: NS, cluster: CLUSTER }, left);
          if ((i & 65535) < 16) drainSpan.addEvent('drain', { remaining: left, ratio: left / 65536 });
        }
      } },

    // At a table limit, a rejected call against an accepted one on a table with room
    { group: 'atLimit', id: 'sdk.planCreated+planCancelled', label: 'accepted: sdk planCreated + planCancelled (room in the table)',
      run(n) {
        for (let i = 0; i < n; i++) {
          const planId = SHARDS[i & 1023];
          roomy.planCreated({ planId, trigger: 'manual', movesPlanned: 1 });
          roomy.planCancelled({ planId });
        }
      } },
    { group: 'atLimit', id: 'sdk.planCreated rejected x2', label: 'rejected: sdk planCreated x2 at 20,000 live plans',
      run(n) {
        for (let i = 0; i < n; i++) {
          full.planCreated({ planId: SHARDS[i & 1023], trigger: 'manual', movesPlanned: 1 });
          full.planCreated({ planId: SHARDS[(i + 1) & 1023], trigger: 'manual', movesPlanned: 1 });
        }
      } },
    { group: 'atLimit', id: 'sdk.planCreated+planCancelled traced', label: 'accepted: sdk planCreated + planCancelled, recording tracer',
      run(n) {
        for (let i = 0; i < n; i++) {
          const planId = SHARDS[i & 1023];
          roomyTraced.planCreated({ planId, trigger: 'manual', movesPlanned: 1 });
          roomyTraced.planCancelled({ planId });
        }
      } },
    { group: 'atLimit', id: 'sdk.planCreated rejected x2 traced', label: 'rejected: sdk planCreated x2 at 20,000 live plans, recording tracer',
      run(n) {
        for (let i = 0; i < n; i++) {
          fullTraced.planCreated({ planId: SHARDS[i & 1023], trigger: 'manual', movesPlanned: 1 });
          fullTraced.planCreated({ planId: SHARDS[(i + 1) & 1023], trigger: 'manual', movesPlanned: 1 });
        }
      } },
    { group: 'atLimit', id: 'sdk.moveStarted+moveCompleted', label: 'accepted: sdk moveStarted + moveCompleted (room in the table)',
      run(n) {
        for (let i = 0; i < n; i++) {
          const shardId = SHARDS[i & 1023];
          roomy.moveStarted({ planId: PLAN, shardId, fromNode: 'node-a', toNode: 'node-b' });
          roomy.moveCompleted({ planId: PLAN, shardId });
        }
      } },
    { group: 'atLimit', id: 'sdk.moveStarted rejected x2', label: 'rejected: sdk moveStarted x2 at 50,000 live moves',
      run(n) {
        for (let i = 0; i < n; i++) {
          full.moveStarted({ planId: 'live-7', shardId: SHARDS[i & 1023], fromNode: 'node-a', toNode: 'node-b' });
          full.moveStarted({ planId: 'live-7', shardId: SHARDS[(i + 1) & 1023], fromNode: 'node-a', toNode: 'node-b' });
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
    const rejectedIn = async (t) => {
      const { resourceMetrics: rm } = await t.metricProducer.collect();
      const m = rm.scopeMetrics[0].metrics.find((x) => x.descriptor.name === otelName(METRICS.rejected));
      return (m?.dataPoints ?? []).reduce((a, p) => a + p.value, 0);
    };
    const atLimitRejected = (await rejectedIn(full)) + (await rejectedIn(fullTraced));
    const rejected = sum(otelName(METRICS.rejected)) + (await rejectedIn(traced)) + (await rejectedIn(roomy)) + (await rejectedIn(roomyTraced));
    return {
      rejected,
      atLimitRejected,
      candidatesSkipped: sum(otelName(METRICS.candidatesSkipped)),
      policyViolations: sum(otelName(METRICS.policyViolations)),
      movesCompleted: sum(otelName(METRICS.movesTotal)),
      ok: rejected === 0 && atLimitRejected > 0,
    };
  }
  return { subjects, verify };
}

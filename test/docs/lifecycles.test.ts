/**
 * The plan and move state diagrams of docs/knowledge-base/lifecycles.md are what the SDK does: the
 * SDK is driven into every live state (every move phase), every hook is called, and what it did —
 * rejected the call, moved to a state, ended with an outcome — must be exactly the diagrams' edges.
 * Also: the limits table of the cardinality page matches DEFAULT_LIMITS.
 */
import { trace } from '@opentelemetry/api';
import { DEFAULT_LIMITS } from '../../src/schema';
import { HOOKS, LIVE_PLAN_STATES, MOVE_OUTCOMES, MOVE_PHASES, PLAN_OUTCOMES } from '../../src/schema/enums';
import { RebalanceTelemetry } from '../../src/sdk/telemetry';
import { PlanTracing } from '../../src/sdk/tracing';
import { ALLOWED_FROM } from '../../src/sdk/transitions';
import { fences, read } from './markdown';

const DOC = 'docs/knowledge-base/lifecycles.md';

interface Edge {
  from: string;
  to: string;
  hook: string;
}

/** Edges of the mermaid blocks marked `<!-- sdk-transitions: kind -->`; `any_live` stands for every live state. */
function diagramEdges(kind: 'plan' | 'move'): Edge[] {
  const blocks = fences(DOC).filter((f) => f.lang === 'mermaid' && f.before === `<!-- sdk-transitions: ${kind} -->`);
  expect(blocks.length).toBeGreaterThan(0);
  const edges: Edge[] = [];
  for (const block of blocks) {
    for (const line of block.body.split('\n')) {
      const m = /^\s*(\S+)\s+-->\s+(\S+?)(?:\s*:\s*(\S+).*)?$/.exec(line);
      if (!m) continue;
      const [, from, to, label] = m;
      // Starts ([*] -->) are checked on their own; ends (--> [*]) and timeouts carry no hook.
      if (from === '[*]' || !label || !(HOOKS as readonly string[]).includes(label)) continue;
      const sources = from === 'any_live' ? [...LIVE_PLAN_STATES] : [from!];
      for (const source of sources) edges.push({ from: source, to: to!, hook: label });
    }
  }
  return edges;
}

const key = (e: Edge) => `${e.from} --${e.hook}--> ${e.to}`;

function newTelemetry(): RebalanceTelemetry {
  let now = 1_700_000_000_000;
  return new RebalanceTelemetry(
    { namespace: 'ns', cluster: 'c1', controller: 'ctl' },
    DEFAULT_LIMITS,
    () => (now += 1000),
    new PlanTracing(trace.getTracer('doc-test'), { namespace: 'ns', cluster: 'c1', controller: 'ctl' }),
  );
}

/** A hook call the SDK refused (counted in meshkit_rebalance_telemetry_rejected_total). */
const REFUSED = '(refused)';
const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);

/** Calls that bring a fresh plan `p` into each live state. */
const INTO_STATE: Record<string, (t: RebalanceTelemetry) => void> = {
  draft: () => {},
  pending_approval: (t) => t.planSubmitted({ planId: 'p' }),
  approved: (t) => t.planApproved({ planId: 'p' }),
  blocked: (t) => t.planBlocked({ planId: 'p', policy: 'cooldown' }),
  executing: (t) => t.planStarted({ planId: 'p' }),
  paused: (t) => {
    t.planStarted({ planId: 'p' });
    t.planPaused({ planId: 'p' });
  },
};

/** Valid arguments for each plan hook. */
const PLAN_HOOK_ARGS: Record<string, Record<string, unknown>> = {
  planSubmitted: {},
  planApproved: {},
  planRejected: {},
  planBlocked: { policy: 'cooldown' },
  planOverrideAcknowledged: {},
  planStarted: {},
  planPaused: {},
  planResumed: {},
  planCompleted: {},
  planFailed: { reason: 'timeout' },
  planCancelled: {},
  planRolledBack: {},
};

/** What a hook did to a plan: refused, the live state it is in, or the outcome it ended with. */
function observePlan(t: RebalanceTelemetry, call: () => void): string {
  const rejected = sum(t.recorder.rejected.values);
  const ended = Float64Array.from(t.recorder.plansTotal.values);
  call();
  if (sum(t.recorder.rejected.values) > rejected) return REFUSED;
  const plan = t.table.plans.get('p');
  if (plan) return LIVE_PLAN_STATES[plan.state]!;
  const outcome = PLAN_OUTCOMES.findIndex((_, i) => t.recorder.plansTotal.values[i]! > ended[i]!);
  return outcome >= 0 ? PLAN_OUTCOMES[outcome]! : 'vanished';
}

describe('plan state diagram', () => {
  it('every plan hook of transitions.ts has valid test arguments', () => {
    const planHooks = Object.keys(ALLOWED_FROM).filter((h) => h.startsWith('plan'));
    expect(Object.keys(PLAN_HOOK_ARGS).sort()).toEqual(planHooks.sort());
  });

  it('planCreated makes a draft', () => {
    const t = newTelemetry();
    expect(observePlan(t, () => t.planCreated({ planId: 'p', trigger: 'manual', movesPlanned: 1 }))).toBe('draft');
    expect(diagramEdges('plan').length).toBeGreaterThan(0);
    expect(fences(DOC).some((f) => f.lang === 'mermaid' && /\[\*\] --> draft: planCreated/.test(f.body))).toBe(true);
  });

  it('matches what the SDK does for every live state and plan hook', () => {
    const actual: string[] = [];
    for (const state of LIVE_PLAN_STATES) {
      for (const [hook, extra] of Object.entries(PLAN_HOOK_ARGS)) {
        const t = newTelemetry();
        t.planCreated({ planId: 'p', trigger: 'manual', movesPlanned: 1 });
        INTO_STATE[state]!(t);
        expect(LIVE_PLAN_STATES[t.table.plans.get('p')!.state]).toBe(state);
        const after = observePlan(t, () => (t as unknown as Record<string, (a: unknown) => void>)[hook]!({ planId: 'p', ...extra }));
        if (after !== REFUSED) actual.push(key({ from: state, to: after, hook }));
      }
    }
    expect(diagramEdges('plan').map(key).sort()).toEqual(actual.sort());
  });
});

describe('move state diagram', () => {
  /** Calls that bring a fresh move of shard `s` in plan `p` into each phase. */
  const INTO_PHASE: Record<string, (t: RebalanceTelemetry) => void> = {
    drain: () => {},
    handoff: (t) => t.moveHandoff({ planId: 'p', shardId: 's' }),
    verify: (t) => {
      t.moveHandoff({ planId: 'p', shardId: 's' });
      t.moveVerifying({ planId: 'p', shardId: 's' });
    },
  };
  const MOVE_HOOK_ARGS: Record<string, Record<string, unknown>> = {
    moveDrainProgress: { remaining: 3, ratio: 0.5 },
    moveHandoff: {},
    moveVerifying: {},
    moveCompleted: {},
    moveFailed: { reason: 'drain_timeout' },
  };

  function observeMove(t: RebalanceTelemetry, call: () => void): string {
    const rejected = sum(t.recorder.rejected.values);
    const ended = Float64Array.from(t.recorder.movesTotal.values);
    call();
    if (sum(t.recorder.rejected.values) > rejected) return REFUSED;
    const move = t.table.plans.get('p')?.moves.get('s');
    if (move) return MOVE_PHASES[move.phase]!;
    const outcome = MOVE_OUTCOMES.findIndex((_, i) => t.recorder.movesTotal.values[i]! > ended[i]!);
    return outcome >= 0 ? MOVE_OUTCOMES[outcome]! : 'vanished';
  }

  it('moveStarted starts in drain, only while the plan executes', () => {
    const t = newTelemetry();
    t.planCreated({ planId: 'p', trigger: 'manual', movesPlanned: 1 });
    expect(observeMove(t, () => t.moveStarted({ planId: 'p', shardId: 's', fromNode: 'a', toNode: 'b' }))).toBe(REFUSED);
    t.planStarted({ planId: 'p' });
    expect(observeMove(t, () => t.moveStarted({ planId: 'p', shardId: 's', fromNode: 'a', toNode: 'b' }))).toBe('drain');
    expect(diagramEdges('move').filter((e) => e.hook === 'moveStarted')).toEqual([]); // drawn from [*]
    expect(fences(DOC).some((f) => /\[\*\] --> drain: moveStarted/.test(f.body))).toBe(true);
  });

  it('matches what the SDK does for every phase and move hook', () => {
    const actual: string[] = [];
    for (const phase of MOVE_PHASES) {
      for (const [hook, extra] of Object.entries(MOVE_HOOK_ARGS)) {
        const t = newTelemetry();
        t.planCreated({ planId: 'p', trigger: 'manual', movesPlanned: 1 });
        t.planStarted({ planId: 'p' });
        t.moveStarted({ planId: 'p', shardId: 's', fromNode: 'a', toNode: 'b' });
        INTO_PHASE[phase]!(t);
        const after = observeMove(t, () => (t as unknown as Record<string, (a: unknown) => void>)[hook]!({ planId: 'p', shardId: 's', ...extra }));
        if (after !== REFUSED) actual.push(key({ from: phase, to: after, hook }));
      }
    }
    expect(diagramEdges('move').map(key).sort()).toEqual(actual.sort());
  });

  it('a plan that ends with moves in flight aborts them (the diagram says so)', () => {
    const t = newTelemetry();
    t.planCreated({ planId: 'p', trigger: 'manual', movesPlanned: 1 });
    t.planStarted({ planId: 'p' });
    t.moveStarted({ planId: 'p', shardId: 's', fromNode: 'a', toNode: 'b' });
    expect(observeMove(t, () => t.planCancelled({ planId: 'p' }))).toBe('aborted');
    expect(read(DOC)).toMatch(/drain --> aborted: its plan ended/);
  });
});

describe('limits table of labels-and-cardinality.md', () => {
  it('lists every limit with its default', () => {
    const text = read('docs/knowledge-base/labels-and-cardinality.md');
    const rows = new Map([...text.matchAll(/^\| `(\w+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
    expect(Object.fromEntries(rows)).toEqual({ ...DEFAULT_LIMITS });
  });
});

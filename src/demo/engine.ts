/**
 * Runs the tour's acts side by side: one simulator world per act, each started `preludeMs` in the
 * past and fast-forwarded to the demo's start, then advanced with the wall clock. Every controller
 * gets its own telemetry handle from the SDK's public entry, exporting as `exporters` says.
 */
import { createRebalanceTelemetry, type HookArgs, type RebalanceTelemetryHandle, type RebalanceTelemetryOptions } from '../index';
import type { Controller } from '../simulator/controller';
import { World } from '../simulator/world';
import type { Act, Tour } from './tour';

export interface TourController {
  controller: Controller;
  handle: RebalanceTelemetryHandle;
  act: Act;
  world: World;
}

/** A plan that completed, as the simulator saw it (virtual times). */
export interface CompletedPlan {
  planId: string;
  scope: string;
  controllerId: string;
  moves: number;
  startedAt: number;
  endedAt: number;
  slowestMove: { shardId: string; ms: number } | undefined;
}

export interface TourRunOptions {
  tour: Tour;
  /** The demo's start (unix ms): every act's clock reaches it after its prelude. */
  startMs: number;
  /** Exporter options for the `i`-th controller of the whole tour. */
  exporters?: (index: number) => Partial<RebalanceTelemetryOptions>;
  onDeath?: (controller: Controller) => void;
}

interface LivePlan {
  startedAt: number;
  moves: number;
  moveStarts: Map<string, number>;
  slowestMove: { shardId: string; ms: number } | undefined;
}

/** How many slowest completed plans are kept. */
const KEEP_COMPLETED = 8;

export class TourRun {
  readonly worlds: World[] = [];
  readonly controllers: TourController[] = [];
  private readonly completed: CompletedPlan[] = [];
  /** Scopes each plan id was created in: simulated plan ids repeat across clusters. */
  private readonly planScopes = new Map<string, Set<string>>();
  private readonly stopping: Promise<void>[] = [];

  constructor(private readonly options: TourRunOptions) {
    let index = 0;
    for (const act of options.tour.acts) {
      const world = new World({
        seed: `${act.scenario.name}:${options.tour.seed}`,
        startMs: options.startMs - act.preludeMs,
        telemetry: (ids, clock) =>
          this.observe(createRebalanceTelemetry({ ...ids, clock, ...(options.exporters?.(index++) ?? {}) }), `${ids.cluster}/${ids.namespace}`, ids.controllerId, clock),
      });
      act.scenario.build(world);
      act.tweak?.(world, (demoMs, run) => world.at(act.preludeMs + demoMs, run));
      world.onDeath((controller) => {
        options.onDeath?.(controller);
        this.stopping.push(world.handles.get(controller)!.shutdown());
      });
      this.worlds.push(world);
      for (const controller of world.controllers) this.controllers.push({ controller, handle: world.handles.get(controller)!, act, world });
    }
  }

  /** Runs every act's prelude: each world's clock reaches the demo's start. */
  fastForward(): void {
    for (const world of this.worlds) world.runUntil(this.options.startMs);
  }

  /** Runs every event due up to `ms` (the wall clock, in live use). */
  advanceTo(ms: number): void {
    for (const world of this.worlds) world.runUntil(Math.max(ms, this.options.startMs));
  }

  /** Controllers still running (a dead one stops exporting). */
  alive(): TourController[] {
    return this.controllers.filter((c) => c.controller.alive);
  }

  /** Completed plans, slowest first (at most a handful are kept). */
  slowestCompleted(): readonly CompletedPlan[] {
    return this.completed;
  }

  /** Whether no other namespace/cluster of the tour created a plan with this id (so a search by id finds this one). */
  uniquePlanId(planId: string): boolean {
    return (this.planScopes.get(planId)?.size ?? 0) === 1;
  }

  /** Flushes and stops every controller's exporters. */
  async shutdown(): Promise<void> {
    await Promise.allSettled(this.stopping);
    await Promise.allSettled(this.alive().map((c) => c.handle.shutdown()));
  }

  /** The handle, with the few hooks that tell plan and move durations watched on the way through. */
  private observe(handle: RebalanceTelemetryHandle, scope: string, controllerId: string, clock: () => number): RebalanceTelemetryHandle {
    const live = new Map<string, LivePlan>();
    const wrapped: RebalanceTelemetryHandle = {
      ...handle,
      planCreated: (args: HookArgs['planCreated']) => {
        if (!this.planScopes.has(args.planId)) this.planScopes.set(args.planId, new Set());
        this.planScopes.get(args.planId)!.add(scope);
        handle.planCreated(args);
      },
      planStarted: (args: HookArgs['planStarted']) => {
        if (!live.has(args.planId)) live.set(args.planId, { startedAt: clock(), moves: 0, moveStarts: new Map(), slowestMove: undefined });
        handle.planStarted(args);
      },
      moveStarted: (args: HookArgs['moveStarted']) => {
        const plan = live.get(args.planId);
        if (plan) {
          plan.moves++;
          plan.moveStarts.set(args.shardId, clock());
        }
        handle.moveStarted(args);
      },
      moveCompleted: (args: HookArgs['moveCompleted']) => {
        const plan = live.get(args.planId);
        const started = plan?.moveStarts.get(args.shardId);
        if (plan && started !== undefined) {
          const ms = clock() - started;
          if (!plan.slowestMove || ms > plan.slowestMove.ms) plan.slowestMove = { shardId: args.shardId, ms };
          plan.moveStarts.delete(args.shardId);
        }
        handle.moveCompleted(args);
      },
      planCompleted: (args: HookArgs['planCompleted']) => {
        const plan = live.get(args.planId);
        live.delete(args.planId);
        if (plan) {
          this.record({ planId: args.planId, scope, controllerId, moves: plan.moves, startedAt: plan.startedAt, endedAt: clock(), slowestMove: plan.slowestMove });
        }
        handle.planCompleted(args);
      },
      planFailed: (args: HookArgs['planFailed']) => {
        live.delete(args.planId);
        handle.planFailed(args);
      },
      planCancelled: (args: HookArgs['planCancelled']) => {
        live.delete(args.planId);
        handle.planCancelled(args);
      },
      planRolledBack: (args: HookArgs['planRolledBack']) => {
        live.delete(args.planId);
        handle.planRolledBack(args);
      },
    };
    return wrapped;
  }

  private record(plan: CompletedPlan): void {
    const duration = (p: CompletedPlan) => p.endedAt - p.startedAt;
    this.completed.push(plan);
    this.completed.sort((a, b) => duration(b) - duration(a));
    this.completed.length = Math.min(this.completed.length, KEEP_COMPLETED);
  }
}

/** How many controllers a tour starts, from worlds built and thrown away (no exporters). */
export async function countControllers(tour: Tour): Promise<number> {
  const run = new TourRun({ tour, startMs: 0 });
  await run.shutdown();
  return run.controllers.length;
}

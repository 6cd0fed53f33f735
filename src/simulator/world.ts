import { enums, type RebalanceHooks, type RebalanceTelemetryHandle } from '../index';
import { VirtualClock } from './clock';
import { DEFAULT_BEHAVIOUR, type Behaviour } from './behaviour';
import { Controller } from './controller';
import { Domain, type DomainSpec } from './model';
import { DEFAULT_POLICIES, type PolicySet } from './policies';
import { Rng } from './rng';
import { Scheduler } from './scheduler';

/** Builds the telemetry of one controller; the runner decides what it exports to. */
export type TelemetryFactory = (ids: { namespace: string; cluster: string; controllerId: string }, clock: () => number) => RebalanceTelemetryHandle;

export interface WorldOptions {
  seed: string;
  startMs: number;
  telemetry: TelemetryFactory;
}

export interface ControllerSpec {
  /** @default `<cluster>.<namespace>.rebalancer-<n>` */
  id?: string;
  /** @default true for the first controller of a domain */
  leader?: boolean;
  behaviour?: Partial<Behaviour>;
  policies?: Partial<PolicySet>;
}

export interface WorldStats {
  /** SDK hook calls made by every controller. */
  hookCalls: number;
  plansCreated: number;
  movesStarted: number;
}

/** Everything one scenario runs: a virtual clock, the event queue, the domains and their controllers. */
export class World {
  readonly clock: VirtualClock;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly startMs: number;
  readonly domains: Domain[] = [];
  readonly controllers: Controller[] = [];
  readonly handles = new Map<Controller, RebalanceTelemetryHandle>();
  readonly stats: WorldStats = { hookCalls: 0, plansCreated: 0, movesStarted: 0 };
  private readonly telemetry: TelemetryFactory;
  private readonly deathListeners: ((controller: Controller) => void)[] = [];

  constructor(options: WorldOptions) {
    this.startMs = options.startMs;
    this.clock = new VirtualClock(options.startMs);
    this.scheduler = new Scheduler(this.clock);
    this.rng = new Rng(options.seed);
    this.telemetry = options.telemetry;
  }

  addDomain(spec: DomainSpec): Domain {
    const domain = new Domain(spec);
    this.domains.push(domain);
    return domain;
  }

  addController(domain: Domain, spec: ControllerSpec = {}): Controller {
    const siblings = this.controllers.filter((c) => c.domain === domain).length;
    const id = spec.id ?? `${domain.cluster}.${domain.namespace}.rebalancer-${siblings}`;
    const handle = this.telemetry({ namespace: domain.namespace, cluster: domain.cluster, controllerId: id }, this.clock.now);
    const controller = new Controller(
      {
        clock: this.clock,
        scheduler: this.scheduler,
        stats: this.stats,
        onDeath: (c) => this.deathListeners.forEach((listener) => listener(c)),
      },
      {
        id,
        domain,
        hooks: countingHooks(handle, this.stats),
        behaviour: { ...DEFAULT_BEHAVIOUR, ...spec.behaviour },
        policies: { ...DEFAULT_POLICIES, ...spec.policies },
        rng: this.rng.fork(id),
        leader: spec.leader ?? siblings === 0,
      },
    );
    this.controllers.push(controller);
    this.handles.set(controller, handle);
    this.scheduler.schedule(this.startMs, () => controller.boot());
    return controller;
  }

  /** A scripted event, `offsetMs` after the start. */
  at(offsetMs: number, run: () => void): void {
    this.scheduler.schedule(this.startMs + offsetMs, run);
  }

  onDeath(listener: (controller: Controller) => void): void {
    this.deathListeners.push(listener);
  }

  runUntil(ms: number): void {
    this.scheduler.runUntil(ms);
  }

  movesInFlight(): number {
    let n = 0;
    for (const c of this.controllers) if (c.alive) n += c.inFlight;
    return n;
  }

  livePlans(): number {
    let n = 0;
    for (const c of this.controllers) if (c.alive) n += c.livePlans;
    return n;
  }
}

/** The handle's hooks, each counting its calls: the simulator's event rate. */
function countingHooks(handle: RebalanceTelemetryHandle, stats: WorldStats): RebalanceHooks {
  const hooks: Record<string, (args?: unknown) => void> = {};
  for (const name of enums.HOOKS) {
    const hook = handle[name] as (args?: unknown) => void;
    hooks[name] = (args?: unknown) => {
      stats.hookCalls++;
      hook(args);
    };
  }
  return hooks as unknown as RebalanceHooks;
}

import { SERVICE_NAME, createRebalanceTelemetry, type RebalanceTelemetryHandle, type RebalanceTelemetryOptions } from '../index';
import { HOUR, SECOND } from './clock';
import type { Controller } from './controller';
import { OpenMetricsHistoryWriter, targetLabels } from './openmetrics';
import type { Scenario } from './scenarios/types';
import { World } from './world';

/** The `job` label of every simulated controller's series: what the OTLP path derives from service.name. */
export const JOB = SERVICE_NAME;

export interface Progress {
  scenario: string;
  /** Virtual time run so far and in all, in hours. */
  doneHours: number;
  totalHours: number;
  plansCreated: number;
  movesInFlight: number;
  hookCalls: number;
}

export interface HistoryOptions {
  scenario: Scenario;
  seed: string;
  hours: number;
  out: string;
  startMs: number;
  /** @default 15 s */
  scrapeIntervalMs?: number;
  /** Called every `progressEveryMs` of real time. */
  onProgress?: (progress: Progress) => void;
  progressEveryMs?: number;
}

export interface RunFigures {
  virtualHours: number;
  wallSeconds: number;
  hookCalls: number;
  hookCallsPerSecond: number;
  simulatorEvents: number;
  plansCreated: number;
  movesStarted: number;
  peakRssBytes: number;
  peakHeapBytes: number;
}

export interface HistoryResult extends RunFigures {
  bytes: number;
  samples: number;
  series: number;
  scrapes: number;
}

/** Builds a scenario's world on a virtual clock; `extra` adds exporter options per controller. */
export function buildWorld(
  scenario: Scenario,
  seed: string,
  startMs: number,
  extra: (controllerIndex: number) => Partial<RebalanceTelemetryOptions> = () => ({}),
): World {
  let index = 0;
  const world = new World({
    seed: `${scenario.name}:${seed}`,
    startMs,
    telemetry: (ids, clock) => createRebalanceTelemetry({ ...ids, clock, ...extra(index++) }),
  });
  scenario.build(world);
  return world;
}

/**
 * History mode: runs `hours` of virtual time as fast as the machine allows and writes what
 * Prometheus would have scraped from every live controller each scrape interval.
 */
export async function runHistory(options: HistoryOptions): Promise<HistoryResult> {
  const interval = options.scrapeIntervalMs ?? 15 * SECOND;
  const world = buildWorld(options.scenario, options.seed, options.startMs);
  const writer = new OpenMetricsHistoryWriter(options.out);
  const end = options.startMs + Math.round(options.hours * HOUR);
  const meter = new Meter();
  const labels = new Map<Controller, string>();
  for (const c of world.controllers) labels.set(c, targetLabels(JOB, c.id));
  const progressEvery = options.progressEveryMs ?? 2000;
  let lastProgress = Date.now();
  let scrapes = 0;
  try {
    for (let t = options.startMs + interval; t <= end; t += interval) {
      world.runUntil(t);
      for (const controller of world.controllers) {
        if (!controller.alive) continue;
        writer.write(world.handles.get(controller)!.metricProducer.collectMetrics(), labels.get(controller)!, t);
      }
      scrapes++;
      if (scrapes % 16 === 0) meter.sample();
      if (options.onProgress && Date.now() - lastProgress >= progressEvery) {
        lastProgress = Date.now();
        options.onProgress(progressOf(options.scenario.name, world, t - options.startMs, options.hours));
      }
    }
  } catch (error) {
    writer.abort();
    throw error;
  }
  meter.sample();
  const written = writer.finish();
  await Promise.all([...world.handles.values()].map((h) => h.shutdown()));
  return { ...written, scrapes, ...meter.figures(world, options.hours) };
}

export interface LiveOptions {
  scenario: Scenario;
  seed: string;
  /** Virtual seconds per real second. */
  speed: number;
  /** Virtual time to run; undefined runs until `signal` aborts. */
  durationMs: number | undefined;
  /** Exporter options for controller `i` (a pull endpoint port, an OTLP endpoint). */
  exporters: (controllerIndex: number) => Partial<RebalanceTelemetryOptions>;
  /** Real time between simulation ticks. @default 200 ms */
  tickMs?: number;
  signal?: AbortSignal;
  onStart?: (handles: { controller: Controller; handle: RebalanceTelemetryHandle }[]) => void;
  onProgress?: (progress: Progress) => void;
  progressEveryMs?: number;
  /** Reported when a controller of the scenario dies and stops exporting. */
  onDeath?: (controller: Controller) => void;
}

/**
 * Live mode: the virtual clock starts at the real time and advances at `speed` × real time; a
 * timer runs the events that fell due. Telemetry goes out through the SDK's own exporters.
 */
export async function runLive(options: LiveOptions): Promise<RunFigures> {
  const realStart = Date.now();
  const world = buildWorld(options.scenario, options.seed, realStart, options.exporters);
  const meter = new Meter();
  const stopping: Promise<void>[] = [];
  world.onDeath((controller) => {
    options.onDeath?.(controller);
    stopping.push(world.handles.get(controller)!.shutdown());
  });
  options.onStart?.(world.controllers.map((controller) => ({ controller, handle: world.handles.get(controller)! })));
  const end = options.durationMs === undefined ? Infinity : realStart + options.durationMs;
  const totalHours = options.durationMs === undefined ? Infinity : options.durationMs / HOUR;
  const progressEvery = options.progressEveryMs ?? 10_000;
  let lastProgress = Date.now();

  await new Promise<void>((resolve) => {
    const timer = setInterval(tick, options.tickMs ?? 200);
    const finish = () => {
      clearInterval(timer);
      options.signal?.removeEventListener('abort', finish);
      resolve();
    };
    options.signal?.addEventListener('abort', finish);
    if (options.signal?.aborted) finish();
    function tick() {
      const target = Math.min(end, realStart + Math.round((Date.now() - realStart) * options.speed));
      world.runUntil(target);
      meter.sample();
      if (options.onProgress && Date.now() - lastProgress >= progressEvery) {
        lastProgress = Date.now();
        options.onProgress(progressOf(options.scenario.name, world, target - realStart, totalHours));
      }
      if (target >= end) finish();
    }
  });
  await Promise.allSettled(stopping);
  await Promise.allSettled(world.controllers.filter((c) => c.alive).map((c) => world.handles.get(c)!.shutdown()));
  return meter.figures(world, (world.clock.now() - realStart) / HOUR);
}

function progressOf(scenario: string, world: World, doneMs: number, totalHours: number): Progress {
  return {
    scenario,
    doneHours: doneMs / HOUR,
    totalHours,
    plansCreated: world.stats.plansCreated,
    movesInFlight: world.movesInFlight(),
    hookCalls: world.stats.hookCalls,
  };
}

export function formatProgress(p: Progress): string {
  const total = Number.isFinite(p.totalHours) ? `/${trim(p.totalHours)}` : '';
  return `[simulate] ${p.scenario} ${p.doneHours.toFixed(1)}${total} h, ${p.plansCreated} plans, ${p.movesInFlight} moves in flight`;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '');
}

/** Wall time and peak memory of a run, sampled with process.memoryUsage(). */
class Meter {
  private readonly started = process.hrtime.bigint();
  private peakRss = 0;
  private peakHeap = 0;

  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  }

  figures(world: World, virtualHours: number): RunFigures {
    this.sample();
    const wallSeconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    return {
      virtualHours,
      wallSeconds,
      hookCalls: world.stats.hookCalls,
      hookCallsPerSecond: wallSeconds > 0 ? world.stats.hookCalls / wallSeconds : 0,
      simulatorEvents: world.scheduler.processed,
      plansCreated: world.stats.plansCreated,
      movesStarted: world.stats.movesStarted,
      peakRssBytes: this.peakRss,
      peakHeapBytes: this.peakHeap,
    };
  }
}

/**
 * A simulated history in a real Prometheus, as Grafana would see it after the fact: the scenario's
 * OpenMetrics history backfilled with promtool, and the shipped rules backfilled over the same window
 * (`promtool tsdb create-blocks-from rules`), so recorded series and the `ALERTS` series exist for the
 * whole history and not only from the moment Prometheus started.
 *
 * promtool evaluates recording rules only, and a rule cannot read the output of another rule of the
 * same run. So rules are backfilled in levels (rules reading no recorded series first, Prometheus
 * restarted on the new blocks, then the rules reading those), and every alerting rule is turned into
 * a recording rule for the `ALERTS{alertstate="firing"}` series Prometheus would have written: the
 * rule's labels, value 1, and its `for:` as "the expression held at every evaluation of the last
 * `for`" (a subquery at the evaluation interval).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../cli/user-error';
import { parseDuration } from '../alerting/promql';
import { DEFAULT_HISTORY_START, HOUR, SECOND } from '../simulator/clock';
import { runHistory, type HistoryResult } from '../simulator/runner';
import { findScenario, SCENARIOS } from '../simulator/scenarios';
import { backfillOpenMetrics } from '../stack/backfill';
import { ruleFiles as shippedRuleFiles } from '../stack/configs';
import { stackBinaries } from '../stack/install';
import { freePorts } from '../stack/ports';
import { pidAlive, stopPid, waitReady, type Spawned } from '../stack/processes';

/** The seed every rendered and tested history uses. */
export const HISTORY_SEED = '1';

/** A history's window: it starts at the simulator's fixed start, so a seed gives the same series at the same times. */
export interface HistoryWindow {
  startMs: number;
  endMs: number;
  scrapeIntervalMs: number;
}

export function historyWindow(hours: number, scrapeIntervalMs = 15 * SECOND): HistoryWindow {
  return { startMs: DEFAULT_HISTORY_START, endMs: DEFAULT_HISTORY_START + Math.round(hours * HOUR), scrapeIntervalMs };
}

interface RawRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

export interface BackfillRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/** Reads the rules of Prometheus rule files (recording and alerting). */
export function readRules(files: readonly string[]): RawRule[] {
  return files.flatMap((file) => {
    const doc = parse(readFileSync(file, 'utf8')) as { groups?: { rules?: RawRule[] }[] } | null;
    return (doc?.groups ?? []).flatMap((g) => g.rules ?? []);
  });
}

/**
 * The recording rule that writes what an alerting rule's `ALERTS{alertstate="firing"}` series would
 * have been, evaluated every `stepMs`.
 */
export function alertAsRecordingRule(rule: { alert: string; expr: string; for?: string; labels?: Record<string, string> }, stepMs: number): BackfillRule {
  const forSeconds = rule.for ? parseDuration(rule.for) : 0;
  const step = Math.max(1, Math.round(stepMs / SECOND));
  let held = `(${rule.expr.trim()})`;
  if (forSeconds > 0) {
    const evaluations = Math.ceil(forSeconds / step);
    // Left-open range: `evaluations + 1` points, from `for` ago to now, must all have the series.
    held = `(count_over_time(${held}[${(evaluations + 1) * step}s:${step}s]) >= ${evaluations + 1})`;
  }
  return { record: 'ALERTS', expr: `${held} * 0 + 1`, labels: { alertname: rule.alert, alertstate: 'firing', ...(rule.labels ?? {}) } };
}

/** Rules grouped so that each level reads only raw series and series recorded by earlier levels. */
export function ruleLevels(rules: readonly BackfillRule[]): BackfillRule[][] {
  const names = [...new Set(rules.map((r) => r.record))];
  const reads = (rule: BackfillRule, name: string) => name !== rule.record && new RegExp(`(^|[^A-Za-z0-9_:])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_:]|$)`).test(rule.expr);
  const level = new Map<string, number>();
  const levelOf = (name: string, seen: Set<string>): number => {
    if (level.has(name)) return level.get(name)!;
    if (seen.has(name)) throw new Error(`recording rules read each other in a cycle through ${name}`);
    seen.add(name);
    const deps = rules.filter((r) => r.record === name).flatMap((r) => names.filter((n) => reads(r, n)));
    const value = deps.length ? 1 + Math.max(...deps.map((d) => levelOf(d, seen))) : 0;
    level.set(name, value);
    return value;
  };
  const levels: BackfillRule[][] = [];
  for (const rule of rules) (levels[levelOf(rule.record, new Set())] ??= []).push(rule);
  return levels.filter(Boolean);
}

/** The shipped rules (or `files`) as backfill rules: recording rules as they are, alerting rules as `ALERTS`. */
export function backfillRulesOf(files: readonly string[], stepMs: number): BackfillRule[] {
  return readRules(files).map((r) =>
    r.record ? { record: r.record, expr: r.expr, ...(r.labels ? { labels: r.labels } : {}) } : alertAsRecordingRule({ alert: r.alert!, expr: r.expr, for: r.for, labels: r.labels }, stepMs),
  );
}

export interface RuleBackfillOptions {
  promtool: string;
  /** A Prometheus serving the history; its TSDB directory receives the new blocks. */
  prometheusUrl: string;
  window: HistoryWindow;
  /** Restarts that Prometheus so it loads the new blocks; resolves once it is ready. */
  restart: () => Promise<void>;
  /** Rule files. @default the shipped alerting/rules/*.yml */
  ruleFiles?: readonly string[];
  /** Evaluation interval. @default the window's scrape interval */
  evalIntervalMs?: number;
  log?: (line: string) => void;
}

/** Backfills the rules over the window, level by level; resolves once Prometheus serves every level. */
export async function backfillRules(options: RuleBackfillOptions): Promise<{ rules: number; levels: number }> {
  const step = options.evalIntervalMs ?? options.window.scrapeIntervalMs;
  const rules = backfillRulesOf(options.ruleFiles ?? shippedRuleFiles(), step);
  const levels = ruleLevels(rules);
  const dataDir = await tsdbPath(options.prometheusUrl);
  const work = mkdtempSync(path.join(tmpdir(), 'meshkit-rules-'));
  try {
    for (const [i, level] of levels.entries()) {
      options.log?.(`[render] backfilling ${level.length} rules (level ${i + 1} of ${levels.length})…`);
      const file = path.join(work, `level-${i}.yml`);
      writeFileSync(file, JSON.stringify({ groups: [{ name: `backfill-${i}`, interval: `${Math.round(step / SECOND)}s`, rules: level }] }, null, 1));
      const out = path.join(work, `blocks-${i}`);
      const result = spawnSync(
        options.promtool,
        [
          'tsdb',
          'create-blocks-from',
          'rules',
          '--quiet',
          `--start=${Math.floor(options.window.startMs / 1000)}`,
          `--end=${Math.floor(options.window.endMs / 1000)}`,
          `--url=${options.prometheusUrl}`,
          `--output-dir=${out}`,
          `--eval-interval=${Math.round(step / SECOND)}s`,
          // Relative: a group's evaluation offset is a hash of its name and file path, and a path in a
          // fresh temp directory would move every recorded sample by a different fraction of a step.
          path.basename(file),
        ],
        { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      if (result.status !== 0) {
        const reason = (result.stderr || result.stdout || String(result.error ?? '')).trim().split('\n').slice(-3).join(' ');
        throw new UserError(`promtool could not backfill the rules: ${reason}`);
      }
      for (const block of existsSync(out) ? readdirSync(out) : []) renameSync(path.join(out, block), path.join(dataDir, block));
      await options.restart();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { rules: rules.length, levels: levels.length };
}

/** The TSDB directory of a running Prometheus, from its flags. */
async function tsdbPath(prometheusUrl: string): Promise<string> {
  const response = await fetch(`${prometheusUrl}/api/v1/status/flags`);
  const body = (await response.json()) as { data?: Record<string, string> };
  const dir = body.data?.['storage.tsdb.path'];
  if (!dir) throw new Error(`${prometheusUrl} did not report its storage.tsdb.path`);
  return path.resolve(dir);
}

export interface HistoryPrometheus {
  url: string;
  window: HistoryWindow;
  history: HistoryResult;
  stop(): Promise<void>;
}

export interface HistoryPrometheusOptions {
  scenario: string;
  /** Virtual hours. @default the scenario's own length */
  hours?: number;
  scrapeIntervalMs?: number;
  seed?: string;
  log?: (line: string) => void;
}

/**
 * A Prometheus alone (no Collector, Alertmanager or trace backend) on a free 127.0.0.1 port, serving
 * a scenario's history with the shipped rules backfilled over it. What `render` draws from; needs the
 * stack's binaries ("stack install").
 */
export async function startHistoryPrometheus(options: HistoryPrometheusOptions): Promise<HistoryPrometheus> {
  const scenario = findScenario(options.scenario);
  if (!scenario) throw new UserError(`unknown scenario "${options.scenario}"; one of ${SCENARIOS.map((s) => s.name).join(', ')}.`);
  const log = options.log ?? (() => {});
  const binaries = stackBinaries();
  const window = historyWindow(options.hours ?? scenario.hours, options.scrapeIntervalMs);
  const dir = mkdtempSync(path.join(tmpdir(), `meshkit-render-${scenario.name}-`));
  let server: { url: string; spawned: Spawned } | undefined;
  const stop = async () => {
    if (server && pidAlive(server.spawned.pid)) await stopPid(server.spawned.pid);
  };
  try {
    log(`[render] simulating ${scenario.name} (${(window.endMs - window.startMs) / HOUR} h, seed ${options.seed ?? HISTORY_SEED})…`);
    const om = path.join(dir, 'history.om');
    const history = await runHistory({
      scenario,
      seed: options.seed ?? HISTORY_SEED,
      hours: (window.endMs - window.startMs) / HOUR,
      out: om,
      startMs: window.startMs,
      scrapeIntervalMs: window.scrapeIntervalMs,
    });
    const dataDir = path.join(dir, 'tsdb');
    backfillOpenMetrics(binaries.promtool, om, dataDir);
    rmSync(om, { force: true });
    const [port] = await freePorts(1);
    const config = path.join(dir, 'prometheus.yml');
    writeFileSync(config, `${JSON.stringify({ global: { scrape_interval: '15s', evaluation_interval: '15s' } })}\n`);
    const start = async () => {
      const logFile = path.join(dir, 'prometheus.log');
      const out = openSync(logFile, 'a');
      const child = spawn(
        binaries.prometheus,
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${dataDir}`,
          '--storage.tsdb.retention.time=100y',
          `--web.listen-address=127.0.0.1:${port}`,
          '--query.max-samples=200000000',
        ],
        { cwd: dir, stdio: ['ignore', out, out] },
      );
      closeSync(out);
      const exited = new Promise<number | string>((resolve) => {
        child.on('error', (error) => resolve(error.message));
        child.on('exit', (code, signal) => resolve(code ?? String(signal)));
      });
      server = { url: `http://127.0.0.1:${port}`, spawned: { pid: child.pid!, exited } };
      try {
        await waitReady(`${server.url}/-/ready`, server.spawned, 60_000);
      } catch (error) {
        throw new UserError(`prometheus did not become ready: ${(error as Error).message}; see ${logFile}.`);
      }
    };
    await start();
    await backfillRules({
      promtool: binaries.promtool,
      prometheusUrl: server!.url,
      window,
      log,
      restart: async () => {
        await stop();
        await start();
      },
    });
    return {
      url: server!.url,
      window,
      history,
      stop: async () => {
        await stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

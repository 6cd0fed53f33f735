/**
 * The end-to-end harness: loopback stand-ins for the PagerDuty Events API v2 and a Microsoft Teams
 * Workflows webhook, rule and Alertmanager files rendered from src/alerting for them, and a real
 * stack (test/helpers/history-stack.ts) whose Prometheus serves a scenario's history cut to end NOW
 * inside the window where the scenario's signal holds.
 *
 * What is compressed, and only that:
 *  - the alerts' `for:` durations, ×1/60 (`forScale`): 5m → 5s, 2m → 2s, 1m → 1s. The backfilled
 *    history already holds each condition at full scale (the cut point is chosen ≥ the full `for`
 *    into the signal's window), but a rule's pending state starts when Prometheus starts, so an
 *    uncompressed `for: 5m` would cost five real minutes per scenario.
 *  - the rule evaluation (and self-scrape) interval: 1s instead of the stack's 5s.
 *  - Alertmanager's group_wait 30s → 1s and group_interval 5m → 2s (the per-scenario runs; the
 *    hyperscale run keeps the shipped 5m group_interval, see hyperscale.test.ts).
 * Rules are loaded only once Alertmanager is up (an empty rule file at start, then the rendered one
 * and POST /-/reload): Prometheus re-sends a firing alert only every `--rules.alert.resend-delay`
 * (1m), so an alert that fired on the very first evaluation, while Alertmanager was still starting
 * beside Prometheus, would otherwise reach the receivers a minute late — or, racing, on time.
 * Every range window, offset and threshold (15m without progress, [15m] failure window, 3 failures,
 * 30 min approval wait, heartbeat 5s × 3, the 10m policy window, the 1h vanished lookback) is the
 * shipped, full-scale value: the rules Prometheus evaluates are the generated ones but for `for:`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { alertmanagerConfig } from '../../src/alerting/alertmanager';
import { renderRules } from '../../src/alerting/render';
import { DEFAULT_HISTORY_START } from '../../src/simulator/clock';
import { runHistory } from '../../src/simulator/runner';
import { findScenario, type AlertSignal } from '../../src/simulator/scenarios';
import { siteAlertmanagerConfig } from '../../src/site/alertmanager';
import { renderSiteRules } from '../../src/site/rules';
import type { SiteConfig } from '../../src/site/types';
import { startHistoryStack, type HistoryStack } from '../helpers/history-stack';
import { readHistory } from '../unit/simulator/signals';
import { intersect, runsOf, signalTimes } from './windows';

const root = path.join(__dirname, '..', '..');

/** `for:` multiplier of the rules Prometheus evaluates (see the header). */
export const FOR_SCALE = 1 / 60;
/** Rule evaluation interval of the stack. */
export const EVALUATION_INTERVAL = '1s';
export const GROUP_WAIT = '1s';
export const GROUP_INTERVAL = '2s';
/** A cold machine builds the stack first (tens of minutes); a warm one checks the cache in seconds. */
export const STACK_TIMEOUT_MS = 40 * 60_000;

export type ReceiverName = 'pagerduty' | 'msteams';

export interface Delivery {
  receiver: ReceiverName;
  /** Date.now() when the request arrived. */
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The PagerDuty Events API v2 event Alertmanager sends. */
export interface PagerDutyEvent {
  routing_key: string;
  dedup_key: string;
  event_action: string;
  payload: { summary: string; source: string; severity: string; custom_details?: Record<string, unknown> };
  client?: string;
  client_url?: string;
  links?: { href: string; text: string }[];
}

/**
 * Two HTTP servers on 127.0.0.1 free ports: PagerDuty answers 202 like the Events API, Teams 200
 * like a Workflows trigger. Every request is recorded in arrival order.
 */
export class Receivers {
  readonly deliveries: Delivery[] = [];
  private servers: Server[] = [];
  pagerdutyUrl = '';
  teamsUrl = '';

  async start(): Promise<void> {
    const listen = async (receiver: ReceiverName) => {
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // kept as text; the payload checks then fail with the text in view
          }
          this.deliveries.push({ receiver, at: Date.now(), path: req.url ?? '', headers: req.headers, body });
          if (receiver === 'pagerduty') {
            const dedup = (body as { dedup_key?: string })?.dedup_key ?? '';
            res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: dedup }));
          } else {
            res.writeHead(200, { 'content-type': 'text/plain' }).end('1');
          }
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      this.servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    this.pagerdutyUrl = `${await listen('pagerduty')}/v2/enqueue`;
    this.teamsUrl = `${await listen('msteams')}/workflows/meshkit-oncall/triggers/manual/run`;
  }

  of(receiver: ReceiverName): Delivery[] {
    return this.deliveries.filter((d) => d.receiver === receiver);
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
    this.servers = [];
  }
}

export interface AlertingFiles {
  dir: string;
  ruleFile: string;
  alertmanagerConfig: string;
  routingKeyFile: string;
  webhookUrlFile: string;
}

/**
 * Writes into `dir`: the rules rendered with `for:` compressed, the Alertmanager config rendered for
 * the stand-ins (PagerDuty `url`, secrets in files written here), and the shipped templates beside it.
 */
export function writeAlertingFiles(dir: string, receivers: Receivers, options: { groupInterval?: string; site?: SiteConfig } = {}): AlertingFiles {
  mkdirSync(dir, { recursive: true });
  const ruleFile = path.join(dir, 'meshkit-rebalance.rules.yml');
  writeFileSync(ruleFile, NO_RULES); // until loadRules()
  const routingKeyFile = path.join(dir, 'secrets', 'pagerduty-routing-key');
  const webhookUrlFile = path.join(dir, 'secrets', 'msteams-webhook-url');
  mkdirSync(path.dirname(routingKeyFile), { recursive: true });
  writeFileSync(routingKeyFile, `e2e-${randomBytes(12).toString('hex')}\n`, { mode: 0o600 });
  writeFileSync(webhookUrlFile, `${receivers.teamsUrl}\n`, { mode: 0o600 });
  const delivery = {
    pagerdutyRoutingKeyFile: routingKeyFile,
    msteamsWebhookUrlFile: webhookUrlFile,
    groupWait: GROUP_WAIT,
    groupInterval: options.groupInterval ?? GROUP_INTERVAL,
  };
  // a site's Alertmanager config, rendered for the stand-ins the same way
  const config = options.site
    ? siteAlertmanagerConfig({ ...options.site, alertmanager: { ...options.site.alertmanager, ...delivery, pagerdutyUrl: receivers.pagerdutyUrl } })
    : alertmanagerConfig({ alertmanager: delivery }, { pagerdutyUrl: receivers.pagerdutyUrl });
  const amFile = path.join(dir, 'alertmanager.yml');
  writeFileSync(amFile, stringify(config, { lineWidth: 0 }));
  cpSync(path.join(root, 'alerting', 'alertmanager', 'templates'), path.join(dir, 'templates'), { recursive: true });
  return { dir, ruleFile, alertmanagerConfig: amFile, routingKeyFile, webhookUrlFile };
}

const NO_RULES = 'groups: []\n';

/** The rules Prometheus evaluates: generated from src/alerting (or a site's configuration), `for:` × FOR_SCALE. */
export const renderedTestRules = (site?: SiteConfig): string => (site ? renderSiteRules(site, { forScale: FOR_SCALE }) : renderRules({ forScale: FOR_SCALE }));

/**
 * Writes the rendered rules over the empty rule file and makes Prometheus reload; resolves once
 * both groups are loaded, with the Date.now() of the reload.
 */
export async function loadRules(prometheus: string, files: AlertingFiles, site?: SiteConfig): Promise<number> {
  await until('Prometheus to see its Alertmanager', async () => {
    const data = await promApi<{ activeAlertmanagers: unknown[] }>(prometheus, 'alertmanagers');
    return data.activeAlertmanagers.length > 0 ? true : undefined;
  }, 30_000);
  writeFileSync(files.ruleFile, renderedTestRules(site));
  const at = Date.now();
  const response = await fetch(`${prometheus}/-/reload`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST /-/reload: ${response.status} ${await response.text()}`);
  await until('the rules to load', async () => ((await promRuleGroups(prometheus)).length === 2 ? true : undefined), 30_000);
  return at;
}

/** The routing key as Alertmanager reads it from the file. */
export const routingKeyOf = (files: AlertingFiles): string => readFileSync(files.routingKeyFile, 'utf8').trim();

export interface CutPoint {
  /** Virtual hours from the start of the scenario to the cut (the history's end). */
  hours: number;
  /** The run of scrapes around the cut at which every declared signal holds, in virtual minutes from the start. */
  windowMinutes: [number, number];
  /** Each declared signal and the `cluster/namespace` scopes where it holds at the cut. */
  holding: { signal: AlertSignal; scope: string }[];
}

/**
 * Runs the scenario's full history once (a fixed start), finds the scrapes at which every declared
 * signal holds (test/e2e/windows.ts), and returns the middle of the longest run of them: a history
 * cut there ends with the signals holding, with half the run as margin for the seconds between the
 * cut and the live Prometheus's first evaluations. The simulator is relative to its start, so a
 * history run from another start for `hours` ends in the same state.
 */
export async function cutPoint(scenarioName: string, seed: string, scrapeIntervalMs = 15_000): Promise<CutPoint> {
  const scenario = findScenario(scenarioName);
  if (!scenario) throw new Error(`unknown scenario ${scenarioName}`);
  if (scenario.alerts.length === 0) throw new Error(`${scenarioName} declares no signal`);
  const dir = mkdtempSync(path.join(tmpdir(), `meshkit-e2e-cut-${scenarioName}-`));
  try {
    const out = path.join(dir, 'full.om');
    await runHistory({ scenario, seed, hours: scenario.hours, out, startMs: DEFAULT_HISTORY_START, scrapeIntervalMs });
    const h = readHistory(out);
    const bySignal = new Map(scenario.alerts.map((signal) => [signal, signalTimes(h, signal)] as const));
    const lists = [...bySignal].map(([signal, times]) => {
      if (times.size === 0) throw new Error(`${scenarioName}: ${signal} never holds in the full history`);
      return [...new Set([...times.values()].flat())].sort((a, b) => a - b);
    });
    const step = scrapeIntervalMs / 1000;
    const runs = runsOf(intersect(lists), step);
    if (runs.length === 0) throw new Error(`${scenarioName}: its signals never hold together`);
    const [a, b] = runs.reduce((best, run) => (run[1] - run[0] > best[1] - best[0] ? run : best));
    const start = DEFAULT_HISTORY_START / 1000;
    const cut = start + Math.round(((a + b) / 2 - start) / step) * step;
    const holding = [...bySignal].flatMap(([signal, times]) => [...times].filter(([, ts]) => ts.includes(cut)).map(([scope]) => ({ signal, scope })));
    return { hours: (cut - start) / 3600, windowMinutes: [(a - start) / 60, (b - start) / 60], holding };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt: string;
  value: string;
}

export interface PromRule {
  name: string;
  type: 'alerting' | 'recording';
  health: string;
  lastError?: string;
  state?: string;
  /** `for:` of an alerting rule, in seconds. */
  duration?: number;
  evaluationTime: number;
  lastEvaluation: string;
  alerts?: PromAlert[];
}

export interface PromRuleGroup {
  name: string;
  file: string;
  interval: number;
  evaluationTime: number;
  lastEvaluation: string;
  rules: PromRule[];
}

async function promApi<T>(prometheus: string, endpoint: string): Promise<T> {
  const response = await fetch(`${prometheus}/api/v1/${endpoint}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${endpoint}: ${body.error}`);
  return body.data;
}

export const promAlerts = async (prometheus: string): Promise<PromAlert[]> => (await promApi<{ alerts: PromAlert[] }>(prometheus, 'alerts')).alerts;
export const promRuleGroups = async (prometheus: string): Promise<PromRuleGroup[]> => (await promApi<{ groups: PromRuleGroup[] }>(prometheus, 'rules')).groups;

/** Prometheus's own /metrics, as `name{labels}` → value for the families asked for. */
export async function promSelfMetrics(prometheus: string, families: readonly string[]): Promise<Map<string, number>> {
  const text = await (await fetch(`${prometheus}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const name = line.slice(0, line.search(/[{ ]/));
    if (!families.includes(name)) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

/**
 * Alertmanager's group key of a notification (route path `{}/{severity="page"}` and the group
 * labels), and the PagerDuty dedup_key it derives from it: the key's SHA-256, in hex.
 */
export function groupKey(severity: string, groupLabels: Record<string, string>): string {
  const labels = Object.entries(groupLabels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `{}/{severity="${severity}"}:{${labels}}`;
}
export const dedupKeyOf = (severity: string, groupLabels: Record<string, string>): string => createHash('sha256').update(groupKey(severity, groupLabels)).digest('hex');

/** The receiver each severity routes to, in stand-in terms. */
export const RECEIVER_OF: Record<string, ReceiverName> = { page: 'pagerduty', ticket: 'msteams' };

export interface ScenarioStack {
  hs: HistoryStack;
  receivers: Receivers;
  files: AlertingFiles;
  /** Date.now() when the stack was ready (every component answering). */
  readyAt: number;
  /** Date.now() when the rendered rules were loaded (see loadRules). */
  rulesLoadedAt: number;
  stop(): Promise<void>;
}

/** Receivers, files and a history stack for one scenario; `stop()` ends all of it. */
export async function startScenarioStack(options: {
  scenario: string;
  seed: string;
  hours?: number;
  scrapeIntervalMs?: number;
  groupInterval?: string;
  /** Rules and Alertmanager config of this site configuration instead of the shipped ones. */
  site?: SiteConfig;
}): Promise<ScenarioStack> {
  const receivers = new Receivers();
  await receivers.start();
  const dir = mkdtempSync(path.join(tmpdir(), `meshkit-e2e-${options.scenario}-`));
  let hs: HistoryStack | undefined;
  try {
    const files = writeAlertingFiles(dir, receivers, { groupInterval: options.groupInterval, site: options.site });
    hs = await startHistoryStack({
      scenario: options.scenario,
      seed: options.seed,
      hours: options.hours,
      scrapeIntervalMs: options.scrapeIntervalMs,
      ruleFiles: [files.ruleFile],
      alertmanagerConfig: files.alertmanagerConfig,
      evaluationInterval: EVALUATION_INTERVAL,
    });
    const readyAt = Date.now();
    const rulesLoadedAt = await loadRules(hs.stack.urls.prometheus, files, options.site);
    const stack = hs;
    return {
      hs: stack,
      receivers,
      files,
      readyAt,
      rulesLoadedAt,
      stop: async () => {
        await stack.stop();
        await receivers.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await hs?.stop();
    await receivers.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Polls `probe` every 200 ms until it returns a value; throws `what` (and the last error) on timeout. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `alertname cluster/namespace`: how the tests name one alert group. */
export const groupName = (labels: Record<string, string>): string => `${labels.alertname} ${labels.cluster}/${labels.namespace}`;

export interface WatchedAlert {
  /** The alert's `activeAt` (pending since), Unix ms. */
  activeAt: number;
  /** Date.now() of the first poll that saw it firing. */
  firingSeenAt?: number;
  alert: PromAlert;
}

/**
 * Polls Prometheus's /api/v1/alerts every 200 ms and remembers, per alert (its full label set),
 * when it went pending and when a poll first saw it firing.
 */
export class AlertWatch {
  readonly seen = new Map<string, WatchedAlert>();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly prometheus: string) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          for (const alert of await promAlerts(this.prometheus)) {
            const key = JSON.stringify(Object.entries(alert.labels).sort());
            const entry = this.seen.get(key) ?? { activeAt: Date.parse(alert.activeAt), alert };
            entry.alert = alert;
            if (alert.state === 'firing' && entry.firingSeenAt === undefined) entry.firingSeenAt = Date.now();
            this.seen.set(key, entry);
          }
        } catch {
          // Prometheus stopping; the next poll or stop() ends the loop
        }
        await sleep(200);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Every alert seen, firing or only pending. */
  all(): WatchedAlert[] {
    return [...this.seen.values()];
  }
}

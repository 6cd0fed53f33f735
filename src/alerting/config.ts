/**
 * Every knob of the rebalancer's alerts, recording rules and Alertmanager config, in one place (the
 * monitoring-mixin way). Durations are Prometheus duration strings; `renderRules({ timeScale })`
 * scales every one of them, so an end-to-end test can run the same rules at compressed time.
 *
 * Tuning guidance sits on each field. Change a default here, run `npm run generate`, and re-run
 * `npx jest test/unit/alerting`: the promtool fixtures spell the expected annotations, so a new
 * threshold shows up as a test diff to review.
 */

/** Every alert the rules define. Names are stable: runbooks, dashboards and silences use them. */
export const ALERT_NAMES = [
  'MeshKitRebalancePlanStuck',
  'MeshKitRebalanceApprovalBacklog',
  'MeshKitRebalanceExcessiveConcurrentMoves',
  'MeshKitRebalanceRepeatedFailures',
  'MeshKitRebalancePlanFailed',
  'MeshKitRebalanceControllerHeartbeatMissing',
  'MeshKitRebalanceStandbyHeartbeatMissing',
  'MeshKitRebalanceNoLeader',
  'MeshKitRebalancePolicyViolation',
  'MeshKitRebalanceTelemetryRejected',
  'MeshKitRebalancePlanOverrun',
  'MeshKitRebalanceShardFlapping',
  'MeshKitRebalanceMovesAboveLoweredLimit',
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

/** `page` goes to PagerDuty, `ticket` to Microsoft Teams (see alerting/alertmanager/alertmanager.yml). */
export const SEVERITIES = ['page', 'ticket'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** UID of the on-call dashboard every alert links to; the dashboard generator must use the same. */
export const ONCALL_DASHBOARD_UID = 'meshkit-rebalance-oncall';

/**
 * Panel id on the on-call dashboard per alert: `dashboard_url` opens that panel (`viewPanel=<id>`).
 * The dashboard generator imports this map so a panel and the alerts that link to it agree.
 */
export const ALERT_PANELS: Readonly<Record<AlertName, number>> = {
  MeshKitRebalanceControllerHeartbeatMissing: 1,
  MeshKitRebalanceStandbyHeartbeatMissing: 2,
  MeshKitRebalanceNoLeader: 3,
  MeshKitRebalancePlanStuck: 4,
  MeshKitRebalanceExcessiveConcurrentMoves: 5,
  MeshKitRebalanceRepeatedFailures: 6,
  MeshKitRebalancePlanFailed: 7,
  MeshKitRebalanceApprovalBacklog: 8,
  MeshKitRebalancePolicyViolation: 9,
  MeshKitRebalanceTelemetryRejected: 10,
  MeshKitRebalancePlanOverrun: 11,
  MeshKitRebalanceShardFlapping: 12,
  MeshKitRebalanceMovesAboveLoweredLimit: 13,
};

export interface AlertingConfig {
  /**
   * Extra label matchers added to every selector, to pick the rebalancer's series out of a shared
   * Prometheus, e.g. `{ job: 'meshkit-rebalancer' }`. Values are exact matches.
   * @default {} (the `meshkit_` metric names are selective enough)
   */
  selector: Readonly<Record<string, string>>;
  /**
   * The labels Prometheus puts on every series of one controller process: the scrape job and target
   * (`job`, `instance`), or what the OTLP receiver derives from `service.name` and
   * `service.instance.id`. Rules join a controller's series to its `controller_leader` gauge on
   * namespace, cluster and these two.
   */
  jobLabel: string;
  /** @see jobLabel @default 'instance' */
  instanceLabel: string;

  /**
   * `runbook_url` of every alert is `${runbookBaseUrl}/${alertname}.md`, so the link pattern lives
   * here only. Point it at the rendered docs/runbooks/ folder of the version you deploy.
   */
  runbookBaseUrl: string;
  /**
   * Grafana (or the preview) the `dashboard_url` annotations point at: the on-call dashboard
   * `ONCALL_DASHBOARD_UID`, the panel of `ALERT_PANELS`, with the alert's namespace and cluster as
   * dashboard variables.
   */
  dashboardBaseUrl: string;
  /** URL slug of the on-call dashboard (Grafana ignores a wrong slug, but keeps links readable). */
  dashboardSlug: string;

  planStuck: {
    /**
     * A plan in `executing` whose `plan_last_progress_timestamp_seconds` is older than this is stuck.
     * Progress is a move starting, draining, handing off or ending; starting and resuming a plan reset
     * the clock, so a long pause is not a stall. Raise it for namespaces whose shards drain for longer
     * than this without a single drain-progress event (the slowest move's drain, p99 of
     * `move_phase_duration_seconds{phase="drain"}`, is the floor).
     * @default '15m'
     */
    noProgressFor: string;
    /** Extra confirmation time; the threshold above already measures time. @default '0s' */
    for: string;
  };
  approvalBacklog: {
    /**
     * The oldest plan waiting for approval has waited longer than this. Match it to the approvers'
     * response objective; plans waiting behind a change freeze will fire it by design.
     * @default '30m'
     */
    oldestPendingOver: string;
    /** @default '0s' */
    for: string;
  };
  excessiveConcurrentMoves: {
    /**
     * Window over which `moves_started_over_limit_total` is counted: any move the controller started
     * while the moves in flight were already at or above `max_concurrent_moves` pages, and the alert
     * resolves this long after the last one. In flight above a limit that was just lowered is not
     * this alert (see `movesAboveLoweredLimit`).
     * @default '15m'
     */
    window: string;
  };
  movesAboveLoweredLimit: {
    /**
     * Drain budget: moves in flight stayed above `max_concurrent_moves` for this whole window (every
     * sample above the highest limit seen in it), while the controller started none over the limit,
     * opens a ticket. Set it to the time a lowered limit may take to drain: the p90 of
     * `move_duration_seconds` is the floor.
     * @default '30m'
     */
    drainBudget: string;
  };
  planOverrun: {
    /**
     * How long a plan's completion forecast must stay past its deadline (or the deadline past, for a
     * plan with no forecast yet) before the ticket opens: the forecast follows the pace of the last
     * ten or so move ends, and rides over a burst of slow ones in this time.
     * @default '10m'
     */
    for: string;
  };
  shardFlapping: {
    /** Window over which shard flaps (`shard_flaps_total`) are counted per namespace/cluster. @default '1h' */
    window: string;
    /**
     * Flaps within `window` that open a ticket. A rollback moves shards back by design (one flap per
     * shard rolled back), so keep it above the moves of a typical rollback plan's failures.
     * @default 5
     */
    threshold: number;
  };
  repeatedFailures: {
    /** Window over which move failures are counted, whatever their reason. @default '15m' */
    window: string;
    /**
     * Failures within `window` in one namespace/cluster that page. A single failure is routine (the
     * controller retries); three in a quarter of an hour is a pattern.
     * @default 3
     */
    threshold: number;
  };
  planFailed: {
    /** A plan failed within this window (a ticket; the alert resolves when the window passes). @default '15m' */
    window: string;
  };
  heartbeat: {
    /**
     * How often a controller calls `controllerHeartbeat`. The leadership lease is 8 s with renewals
     * every few seconds; heartbeating on every loop turn, at most 5 s apart, keeps a stalled leader
     * visible before its lease could be taken over twice.
     * @default '5s'
     */
    interval: string;
    /**
     * Heartbeats missed before a controller counts as stalled: the heartbeat is `interval × missed`
     * old when Prometheus collected it. The age is read at collection time
     * (`timestamp(x) - x`), so the scrape interval adds nothing to it.
     * @default 3
     */
    missed: number;
    /**
     * How long the heartbeat must stay stale before it pages: absorbs one slow loop turn or a GC pause.
     * @default '1m'
     */
    for: string;
    /**
     * A namespace/cluster whose controllers exported series within this lookback and export none now
     * has vanished (the process died, or its scrape or OTLP export stopped). The alert resolves once
     * the lookback has passed with nothing seen: raise it to keep paging longer; silence it when you
     * retire a cluster on purpose.
     * @default '1h'
     */
    vanishedLookback: string;
    /** How long the series must stay gone before paging: rides over one failed scrape. @default '2m' */
    vanishedFor: string;
  };
  noLeader: {
    /**
     * No controller of a namespace/cluster holds the lease for this long (failover takes under 5 s).
     * @default '5m'
     */
    for: string;
  };
  policyViolation: {
    /** A blocking policy violation within this window opens a ticket. @default '10m' */
    window: string;
  };
  telemetryRejected: {
    /** Window over which SDK rejections are counted, per job/instance, hook and reason. @default '15m' */
    window: string;
    /**
     * Rejections within `window` above which a ticket opens. Every rejection is a hook called wrongly,
     * so the default is any; raise it if a controller restart routinely produces `unknown_plan`
     * rejections for plans that did not survive it.
     * @default 0
     */
    threshold: number;
  };
  recording: {
    /** Window of the `:rate5m` recording rules (moves, move failures). Part of the recorded names. @default '5m' */
    shortWindow: string;
    /**
     * Window of the plan-level `:rate1h` / `:ratio_rate1h` recording rules: plans are few, so a
     * longer window. Part of the recorded names.
     * @default '1h'
     */
    longWindow: string;
    /** Plan outcomes that count as success in the success ratio. @default ['completed'] */
    successOutcomes: readonly string[];
    /**
     * Plan outcomes that count against it. Cancelled and rejected plans are people's decisions and
     * count neither way.
     * @default ['failed', 'rolled_back', 'orphaned']
     */
    failureOutcomes: readonly string[];
  };
  alertmanager: {
    /** File Alertmanager reads the PagerDuty Events v2 routing key from (mount it as a secret). */
    pagerdutyRoutingKeyFile: string;
    /** File Alertmanager reads the Microsoft Teams Workflows (Power Automate) webhook URL from. */
    msteamsWebhookUrlFile: string;
    /** @default '30s' */
    groupWait: string;
    /** @default '5m' */
    groupInterval: string;
    /** Re-notification of a still-firing page. @default '4h' */
    pageRepeatInterval: string;
    /** Re-notification of a still-open ticket. @default '24h' */
    ticketRepeatInterval: string;
  };
}

export const DEFAULT_ALERTING_CONFIG: AlertingConfig = {
  selector: {},
  jobLabel: 'job',
  instanceLabel: 'instance',
  runbookBaseUrl: 'https://github.com/meshkit/rebalance-observability/blob/main/docs/runbooks',
  dashboardBaseUrl: 'http://localhost:3000',
  dashboardSlug: 'meshkit-rebalance-on-call',
  planStuck: { noProgressFor: '15m', for: '0s' },
  approvalBacklog: { oldestPendingOver: '30m', for: '0s' },
  excessiveConcurrentMoves: { window: '15m' },
  movesAboveLoweredLimit: { drainBudget: '30m' },
  planOverrun: { for: '10m' },
  shardFlapping: { window: '1h', threshold: 5 },
  repeatedFailures: { window: '15m', threshold: 3 },
  planFailed: { window: '15m' },
  heartbeat: { interval: '5s', missed: 3, for: '1m', vanishedLookback: '1h', vanishedFor: '2m' },
  noLeader: { for: '5m' },
  policyViolation: { window: '10m' },
  telemetryRejected: { window: '15m', threshold: 0 },
  recording: {
    shortWindow: '5m',
    longWindow: '1h',
    successOutcomes: ['completed'],
    failureOutcomes: ['failed', 'rolled_back', 'orphaned'],
  },
  alertmanager: {
    pagerdutyRoutingKeyFile: '/etc/alertmanager/secrets/pagerduty-routing-key',
    msteamsWebhookUrlFile: '/etc/alertmanager/secrets/msteams-webhook-url',
    groupWait: '30s',
    groupInterval: '5m',
    pageRepeatInterval: '4h',
    ticketRepeatInterval: '24h',
  },
};

/** Overrides, section by section: `{ planStuck: { noProgressFor: '30m' } }`. */
export type AlertingOverrides = {
  [K in keyof AlertingConfig]?: AlertingConfig[K] extends readonly unknown[] | string | number
    ? AlertingConfig[K]
    : Partial<AlertingConfig[K]>;
};

/** The defaults with `overrides` merged in, one level deep. */
export function alertingConfig(overrides: AlertingOverrides = {}): AlertingConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_ALERTING_CONFIG };
  for (const [key, value] of Object.entries(overrides)) {
    const base = (DEFAULT_ALERTING_CONFIG as unknown as Record<string, unknown>)[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return merged as unknown as AlertingConfig;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sections of `AlertingConfig` that hold one alert's (or a family's) thresholds and `for:` durations. */
export type ThresholdSection = Exclude<
  { [K in keyof AlertingConfig]: AlertingConfig[K] extends Readonly<Record<string, string | number>> ? K : never }[keyof AlertingConfig],
  'selector' | 'alertmanager'
>;

/** Sections that are not thresholds: a site may set them, but not per namespace or cluster. */
const GLOBAL_SECTIONS: readonly string[] = ['selector', 'recording', 'alertmanager'];

/**
 * Every threshold section, in declaration order. Adding an alert's thresholds is one entry in
 * `AlertingConfig` and `DEFAULT_ALERTING_CONFIG`: the site configuration schema, its per-namespace and
 * per-cluster overrides and the threshold table all follow from this list.
 */
export const THRESHOLD_SECTIONS: readonly ThresholdSection[] = Object.keys(DEFAULT_ALERTING_CONFIG).filter(
  (key) => isPlainObject((DEFAULT_ALERTING_CONFIG as unknown as Record<string, unknown>)[key]) && !GLOBAL_SECTIONS.includes(key),
) as ThresholdSection[];

/** Alerts whose thresholds live in a section not named after them. */
const SHARED_SECTIONS: Partial<Record<AlertName, ThresholdSection>> = {
  MeshKitRebalanceControllerHeartbeatMissing: 'heartbeat',
  MeshKitRebalanceStandbyHeartbeatMissing: 'heartbeat',
};

/**
 * The section holding an alert's thresholds: its name without `MeshKitRebalance`, first letter
 * lower-cased (`MeshKitRebalancePlanStuck` → `planStuck`), unless `SHARED_SECTIONS` says otherwise;
 * undefined for an alert without a section of its own.
 */
export function thresholdSection(alert: string): ThresholdSection | undefined {
  const shared = SHARED_SECTIONS[alert as AlertName];
  if (shared) return shared;
  const rest = alert.replace(/^MeshKitRebalance/, '');
  const name = `${rest.charAt(0).toLowerCase()}${rest.slice(1)}`;
  return (THRESHOLD_SECTIONS as readonly string[]).includes(name) ? (name as ThresholdSection) : undefined;
}

/** `runbook_url` of an alert: the one pattern. */
export function runbookUrl(config: AlertingConfig, alert: AlertName): string {
  return `${config.runbookBaseUrl.replace(/\/+$/, '')}/${alert}.md`;
}

/**
 * `dashboard_url` of an alert: its panel on the on-call dashboard. `vars` are dashboard variables
 * (values may be Prometheus template expressions such as `{{ $labels.namespace }}`).
 */
export function dashboardUrl(config: AlertingConfig, alert: AlertName, vars: Readonly<Record<string, string>> = {}): string {
  const query = [`viewPanel=${ALERT_PANELS[alert]}`, ...Object.entries(vars).map(([name, value]) => `var-${name}=${value}`)];
  return `${config.dashboardBaseUrl.replace(/\/+$/, '')}/d/${ONCALL_DASHBOARD_UID}/${config.dashboardSlug}?${query.join('&')}`;
}

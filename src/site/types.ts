/** The site configuration: what an operator team writes in site.yaml instead of forking the package. */
import type { AlertName, AlertingConfig, Severity, ThresholdSection } from '../alerting/config';

/** Threshold sections, each partial: `{ planStuck: { noProgressFor: '30m' } }`. */
export type SiteThresholds = { [S in ThresholdSection]?: Partial<AlertingConfig[S]> };

/** Thresholds of one namespace or one cluster (exactly one of the two); a namespace wins over a cluster. */
export interface SiteOverride {
  namespace?: string;
  cluster?: string;
  thresholds: SiteThresholds;
}

export type GroupBy = 'cluster' | 'namespace';

export interface SiteConfig {
  /** Thresholds and `for:` durations of every namespace and cluster without an override. */
  thresholds?: SiteThresholds;
  /** Per-namespace and per-cluster thresholds: such a scope fires at its own threshold, never also at the default. */
  overrides?: SiteOverride[];
  alerts?: {
    /** Alerts left out of the rules (their runbooks stay). */
    disabled?: AlertName[];
    /** Severity per alert, instead of the shipped one. */
    severity?: Partial<Record<AlertName, Severity>>;
  };
  /** Static labels added to every alert (`team`, `service`); they do not replace `severity`. */
  labels?: Record<string, string>;
  links?: {
    /** `runbook_url` of an alert is `<runbookBaseUrl>/<alertname>.md`. */
    runbookBaseUrl?: string;
    /** Grafana the `dashboard_url` annotations and the dashboards' links point at. */
    dashboardBaseUrl?: string;
    dashboardSlug?: string;
    /** The trace view (Jaeger query UI): plan alerts link to the plan's traces there. */
    traceBaseUrl?: string;
  };
  /** Extra exact-match label matchers on every selector, to pick the rebalancer's series out of a shared Prometheus. */
  selector?: Record<string, string>;
  /** Label names the rules, dashboards and Alertmanager use (and the SDK emits, with its `labelNames` option). */
  labelNames?: { namespace?: string; cluster?: string; job?: string; instance?: string };
  recording?: Partial<AlertingConfig['recording']>;
  alertmanager?: Partial<AlertingConfig['alertmanager']> & {
    /** One notification per cluster and alert, or per namespace, cluster and alert. @default 'namespace' */
    groupBy?: GroupBy;
    /** Receiver name per severity. */
    receivers?: Partial<Record<Severity, string>>;
    /** PagerDuty Events v2 endpoint (`url`); unset, Alertmanager's default. */
    pagerdutyUrl?: string;
  };
  dashboards?: {
    /** uid of the Prometheus data source the dashboards default to. */
    prometheusDatasourceUid?: string;
    /** uid of the trace (Jaeger) data source. */
    tracesDatasourceUid?: string;
    /** Dashboard auto-refresh. @default '30s' */
    refresh?: string;
    /**
     * The site's scrape (or OTLP export) interval: the Prometheus data source's `timeInterval`, so
     * `$__rate_interval` covers at least four samples. @default '15s'
     */
    scrapeInterval?: string;
  };
  kubernetes?: {
    /** Namespace of every object. @default 'monitoring' */
    namespace?: string;
    /** Labels on every object: what the Prometheus and Alertmanager resources select (`release: kube-prometheus-stack`). */
    labels?: Record<string, string>;
    /** The label the Grafana dashboard sidecar watches. @default { grafana_dashboard: '1' } */
    dashboardLabel?: Record<string, string>;
    /** Labels of the controller pods (PodMonitor) or of their Service (ServiceMonitor). */
    selector?: Record<string, string>;
    /** Name of the container or Service port that serves /metrics. @default 'metrics' */
    metricsPort?: string;
    /** Secrets holding the PagerDuty routing key and the Teams webhook URL. */
    pagerdutySecret?: { name: string; key: string };
    msteamsSecret?: { name: string; key: string };
  };
}

/**
 * The Alertmanager configuration: pages to PagerDuty, tickets to Microsoft Teams, grouped per
 * cluster/namespace/alert, and a vanished or stalled leader inhibiting the rest of its cluster.
 * Message text comes from alerting/alertmanager/templates/meshkit.tmpl.
 */
import { stringify } from 'yaml';
import { alertingConfig, type AlertName, type AlertingOverrides, type Severity } from './config';
import { CLUSTER, NS } from './promql';

export const ALERTMANAGER_FILE = 'alerting/alertmanager/alertmanager.yml';

/** Receiver per severity; the route tree sends each severity to its receiver. */
export const RECEIVERS: Readonly<Record<Severity, string>> = {
  page: 'meshkit-pagerduty',
  ticket: 'meshkit-msteams',
};

/** The alert whose firing silences every other alert of its namespace/cluster. */
export const INHIBITING_ALERT: AlertName = 'MeshKitRebalanceControllerHeartbeatMissing';

const ALERT_PREFIX = 'MeshKitRebalance';

/** Where receivers deliver, beside what `AlertingConfig` holds. */
export interface AlertmanagerRenderOptions {
  /**
   * The PagerDuty Events API v2 endpoint (`url` of the PagerDuty receiver), e.g. the EU service
   * region's `https://events.eu.pagerduty.com/v2/enqueue`, or a stand-in in a test. Unset, Alertmanager
   * uses its default, `https://events.pagerduty.com/v2/enqueue`. (The Teams URL is a secret: it is
   * read from `msteamsWebhookUrlFile`.)
   */
  pagerdutyUrl?: string;
}

export function alertmanagerConfig(overrides: AlertingOverrides = {}, options: AlertmanagerRenderOptions = {}) {
  const am = alertingConfig(overrides).alertmanager;
  const link = (name: string, text: string) => ({ href: `{{ template "meshkit.${name}_url" . }}`, text });
  return {
    route: {
      receiver: RECEIVERS.ticket,
      group_by: [CLUSTER, NS, 'alertname'],
      group_wait: am.groupWait,
      group_interval: am.groupInterval,
      repeat_interval: am.ticketRepeatInterval,
      routes: [
        { receiver: RECEIVERS.page, matchers: ['severity="page"'], repeat_interval: am.pageRepeatInterval },
        { receiver: RECEIVERS.ticket, matchers: ['severity="ticket"'], repeat_interval: am.ticketRepeatInterval },
      ],
    },
    inhibit_rules: [
      {
        source_matchers: [`alertname="${INHIBITING_ALERT}"`],
        target_matchers: [`alertname=~"${ALERT_PREFIX}.+"`, `alertname!="${INHIBITING_ALERT}"`],
        equal: [NS, CLUSTER],
      },
    ],
    receivers: [
      {
        name: RECEIVERS.page,
        pagerduty_configs: [
          {
            ...(options.pagerdutyUrl ? { url: options.pagerdutyUrl } : {}),
            routing_key_file: am.pagerdutyRoutingKeyFile,
            severity: 'critical',
            description: '{{ template "meshkit.title" . }}',
            client: 'MeshKit Rebalancer alerts',
            client_url: '{{ template "meshkit.dashboard_url" . }}',
            links: [link('runbook', 'Runbook'), link('dashboard', 'On-call dashboard')],
            details: {
              firing: '{{ template "meshkit.text" . }}',
              [NS]: `{{ .CommonLabels.${NS} }}`,
              [CLUSTER]: `{{ .CommonLabels.${CLUSTER} }}`,
              runbook: '{{ template "meshkit.runbook_url" . }}',
              dashboard: '{{ template "meshkit.dashboard_url" . }}',
            },
          },
        ],
      },
      {
        name: RECEIVERS.ticket,
        msteamsv2_configs: [
          {
            webhook_url_file: am.msteamsWebhookUrlFile,
            title: '{{ template "meshkit.title" . }}',
            text: '{{ template "meshkit.text" . }}',
          },
        ],
      },
    ],
    templates: ['templates/*.tmpl'],
  };
}

export function renderAlertmanagerConfig(overrides: AlertingOverrides = {}, options: AlertmanagerRenderOptions = {}): string {
  return [
    '# Generated from src/alerting/alertmanager.ts by `npm run generate`; do not edit.',
    '# Secrets are read from files: mount the PagerDuty routing key and the Teams webhook URL there.',
    stringify(alertmanagerConfig(overrides, options), { lineWidth: 0 }),
  ].join('\n');
}

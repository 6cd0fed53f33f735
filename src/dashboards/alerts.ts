/**
 * The `ALERTS` series Prometheus writes for each pending or firing alert: the alert's name and
 * state, the rule's labels (`severity`) and the labels its expression keeps (every MeshKit rule
 * keeps `namespace` and `cluster`). Spelled here because the schema describes our metrics only.
 * When src/alerting/ lands, take the alert-name prefix from there.
 */
import { L, type LabelSpec } from '../schema/labels';
import type { MetricSpec } from '../schema/metrics';

const label = (name: string, description: string, values?: readonly string[]): LabelSpec => ({
  name,
  description,
  domain: values ? { kind: 'enum', values } : { kind: 'instance' },
});

const alertLabels = {
  alertname: label('alertname', 'name of the alerting rule'),
  alertstate: label('alertstate', 'pending or firing', ['pending', 'firing']),
  severity: label('severity', 'severity label of the rule'),
};

export const ALERTS = {
  name: 'ALERTS',
  labels: alertLabels,
  series: {
    name: 'ALERTS',
    kind: 'gauge',
    unit: '',
    help: 'Pending and firing alerts, written by Prometheus rule evaluation.',
    labels: [alertLabels.alertname, alertLabels.alertstate, alertLabels.severity, L.namespace, L.cluster],
  } satisfies MetricSpec,
} as const;

/** Every rebalance alert's name starts with this. */
export const ALERT_NAME_PREFIX = 'MeshKitRebalance';
export const ALERT_NAME_PATTERN = `${ALERT_NAME_PREFIX}.*`;

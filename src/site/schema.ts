/**
 * The JSON Schema of site.yaml, built from the alerting defaults: every threshold section of
 * `DEFAULT_ALERTING_CONFIG` becomes a section here, so an alert's new threshold needs no edit in this
 * file. Written to schema/site-config.schema.json by `npm run generate` and shipped in the package.
 */
import { ALERT_NAMES, DEFAULT_ALERTING_CONFIG, SEVERITIES, THRESHOLD_SECTIONS } from '../alerting/config';

export const SITE_SCHEMA_FILE = 'schema/site-config.schema.json';
export const SITE_SCHEMA_ID = 'https://meshkit.dev/schemas/rebalance-observability/site-config.schema.json';

type Schema = Record<string, unknown>;

export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d|w|y))+$';
const duration: Schema = { type: 'string', pattern: DURATION_PATTERN, description: 'a Prometheus duration: 30s, 15m, 1h30m' };
const nonEmpty: Schema = { type: 'string', minLength: 1 };
/** Prometheus label names; `__` names are reserved. */
const labelName: Schema = { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', not: { pattern: '^__' } };
/** Identifiers the SDK accepts as namespace and cluster values. */
const scopeId: Schema = { type: 'string', pattern: '^[A-Za-z0-9._:/-]{1,128}$' };
const url: Schema = { type: 'string', pattern: '^https?://[^\\s]+$' };
const labelMap: Schema = { type: 'object', propertyNames: labelName, additionalProperties: nonEmpty };
/** Kubernetes label keys (`app.kubernetes.io/name`) and values. */
const k8sLabels: Schema = {
  type: 'object',
  propertyNames: { type: 'string', pattern: '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$', maxLength: 316 },
  additionalProperties: { type: 'string', pattern: '^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$', maxLength: 63 },
};
const secretRef: Schema = object({ name: nonEmpty, key: nonEmpty }, ['name', 'key']);

function object(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, additionalProperties: false, ...(required.length > 0 ? { required } : {}) };
}

/** `section.field` → guidance, for the schema's descriptions (the shipped file has them; validation needs none). */
export type FieldDocs = ReadonlyMap<string, string>;

/** A schema for each field from its default: durations for strings, non-negative numbers, string lists. */
function fromDefaults(name: string, section: Record<string, unknown>, docs: FieldDocs): Schema {
  const props: Record<string, Schema> = {};
  for (const [key, value] of Object.entries(section)) {
    const doc = docs.get(`${name}.${key}`);
    const described = doc ? { description: doc } : {};
    if (typeof value === 'number') props[key] = { type: 'number', minimum: 0, default: value, ...described };
    else if (Array.isArray(value)) props[key] = { type: 'array', items: nonEmpty, default: value, ...described };
    else props[key] = { ...duration, default: value, ...described };
  }
  return object(props);
}

const sections = DEFAULT_ALERTING_CONFIG as unknown as Record<string, Record<string, unknown>>;

function thresholds(docs: FieldDocs): Schema {
  return object(Object.fromEntries(THRESHOLD_SECTIONS.map((name) => [name, fromDefaults(name, sections[name], docs)])));
}

export function siteConfigSchema(docs: FieldDocs = new Map()): Schema {
  const am = sections.alertmanager;
  const alertmanager = fromDefaults('alertmanager', am, docs) as { properties: Record<string, Schema> };
  for (const key of Object.keys(am).filter((k) => k.endsWith('File'))) {
    alertmanager.properties[key] = { ...nonEmpty, default: am[key], ...(docs.has(`alertmanager.${key}`) ? { description: docs.get(`alertmanager.${key}`) } : {}) };
  }
  const alertName = { enum: [...ALERT_NAMES] };
  const severity = { enum: [...SEVERITIES] };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SITE_SCHEMA_ID,
    title: 'MeshKit rebalance observability: site configuration',
    ...object({
      thresholds: thresholds(docs),
      overrides: { type: 'array', items: object({ namespace: scopeId, cluster: scopeId, thresholds: thresholds(docs) }, ['thresholds']) },
      alerts: object({
        disabled: { type: 'array', items: alertName, uniqueItems: true },
        severity: { type: 'object', propertyNames: alertName, additionalProperties: severity },
      }),
      labels: labelMap,
      links: object({ runbookBaseUrl: url, dashboardBaseUrl: url, dashboardSlug: nonEmpty, traceBaseUrl: url }),
      selector: labelMap,
      labelNames: object({ namespace: labelName, cluster: labelName, job: labelName, instance: labelName }),
      recording: fromDefaults('recording', sections.recording, docs),
      alertmanager: object({
        ...alertmanager.properties,
        groupBy: { enum: ['cluster', 'namespace'], default: 'namespace' },
        receivers: object(Object.fromEntries(SEVERITIES.map((s) => [s, nonEmpty]))),
        pagerdutyUrl: url,
      }),
      dashboards: object({ prometheusDatasourceUid: nonEmpty, tracesDatasourceUid: nonEmpty, refresh: duration, scrapeInterval: duration }),
      kubernetes: object({
        namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
        labels: k8sLabels,
        dashboardLabel: k8sLabels,
        selector: k8sLabels,
        metricsPort: nonEmpty,
        pagerdutySecret: secretRef,
        msteamsSecret: secretRef,
      }),
    }),
  };
}

export const renderSiteConfigSchema = (docs?: FieldDocs): string => `${JSON.stringify(siteConfigSchema(docs), null, 2)}\n`;

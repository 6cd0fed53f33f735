/**
 * Grafana's dashboard schema, as the tests check generated dashboards against it.
 *
 * `@grafana/schema` (Grafana's own package, generated from its CUE kinds) ships TypeScript types
 * and no JSON schema. Two checks derive from its `Dashboard` type (the classic, schemaVersion-based
 * dashboard JSON that file provisioning loads):
 *  - `deriveDashboardJsonSchema()` turns the type into a JSON schema with ts-json-schema-generator,
 *    mechanically: required fields, enums, unions, and no properties the type does not declare;
 *  - `typecheckSource()` writes a TypeScript file that assigns the dashboard JSON, as an object
 *    literal, to the same type, for `tsc` to check (excess properties included).
 *
 * One relaxation, in both: an annotation query may carry Prometheus's annotation fields (`expr`,
 * `step`, `titleFormat`, `tagKeys`, `textFormat`, `useValueForTime`). Grafana's CUE source leaves
 * the annotation query open (`...`, "datasources spread their query into the base object") and the
 * Prometheus data source reads those fields there; the generated TypeScript type drops the `...`.
 */
import { createGenerator } from 'ts-json-schema-generator';
import { dirname, join } from 'node:path';

export const PROMETHEUS_ANNOTATION_FIELDS = {
  expr: { type: 'string' },
  step: { type: 'string' },
  titleFormat: { type: 'string' },
  tagKeys: { type: 'string' },
  textFormat: { type: 'string' },
  useValueForTime: { type: 'boolean' },
} as const;

export const GRAFANA_SCHEMA_TYPES = join(dirname(require.resolve('@grafana/schema/package.json')), 'dist', 'types', 'index.d.ts');

type JsonSchema = { [key: string]: unknown; properties?: Record<string, JsonSchema>; items?: JsonSchema; definitions?: Record<string, JsonSchema> };

export function deriveDashboardJsonSchema(): JsonSchema {
  const schema = createGenerator({
    path: GRAFANA_SCHEMA_TYPES,
    type: 'Dashboard',
    expose: 'none',
    topRef: true,
    skipTypeCheck: true,
    additionalProperties: false,
  }).createSchema('Dashboard') as JsonSchema;
  const annotation = schema.definitions!.Dashboard!.properties!.annotations!.properties!.list!.items!;
  annotation.properties = { ...annotation.properties, ...PROMETHEUS_ANNOTATION_FIELDS };
  return schema;
}

/** A TypeScript module that `tsc` accepts only if every value conforms to `Dashboard` (as JSON). */
export function typecheckSource(dashboards: Record<string, unknown>, mustFail: Record<string, unknown> = {}): string {
  const fields = Object.entries(PROMETHEUS_ANNOTATION_FIELDS)
    .map(([k, v]) => `${k}?: ${v.type};`)
    .join(' ');
  return [
    "import type { AnnotationQuery, Dashboard } from '@grafana/schema';",
    '',
    '/** A value as JSON spells it: string enums become their string values. */',
    'type Json<T> = T extends string ? `${T}` : T extends number | boolean | null | undefined ? T : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
    `type PrometheusAnnotation = Json<AnnotationQuery> & { ${fields} };`,
    "type GrafanaDashboard = Omit<Json<Dashboard>, 'annotations'> & { annotations?: { list?: PrometheusAnnotation[] } };",
    '',
    ...Object.entries(dashboards).map(([name, value]) => `export const ${name}: GrafanaDashboard = ${JSON.stringify(value, null, 2)};`),
    ...Object.entries(mustFail).map(([name, value]) => `// @ts-expect-error ${name} must not conform\nexport const ${name}: GrafanaDashboard = ${JSON.stringify(value)};`),
    '',
  ].join('\n');
}

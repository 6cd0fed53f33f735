/**
 * Prometheus text exposition (0.0.4) of OpenTelemetry metric data, in chunks. Generic over
 * MetricData, so every metric the producer builds is served; the output is the same, series for
 * series and byte for byte, as @opentelemetry/exporter-prometheus's serializer with its defaults
 * (scope labels, target_info, no timestamps) — test/unit/sdk/export pins that on random data.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { DataPointType, type DataPoint, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';

export interface Scope {
  name: string;
  version?: string;
  schemaUrl?: string;
}

/** Series written per chunk: large enough to be cheap, small enough to interleave with hooks. */
const SERIES_PER_CHUNK = 128;
const SCOPE_NAME = 'otel_scope_name';
const SCOPE_VERSION = 'otel_scope_version';
const SCOPE_SCHEMA_URL = 'otel_scope_schema_url';

const escapeText = (s: string): string => (s.includes('\\') || s.includes('\n') ? s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : s);
const NEEDS_ESCAPE = /[\\\n"]/;

function labelValue(value: AttributeValue | undefined): string {
  const s = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  return NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : s;
}

const sanitizedNames = new Map<string, string>();
/** Prometheus names allow `[a-zA-Z0-9_]` (colons are for recording rules); runs of `_` collapse. */
function sanitize(name: string): string {
  let out = sanitizedNames.get(name);
  if (out === undefined) {
    out = name.replace(/[^a-z0-9_]/gi, '_').replace(/_{2,}/g, '_');
    if (sanitizedNames.size < 10_000) sanitizedNames.set(name, out);
  }
  return out;
}

function numberText(value: number): string {
  return value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : `${value}`;
}

/** Label text of frozen attribute sets, which producers reuse across collections (per-plan series). */
const labelCache = new WeakMap<Attributes, string>();

/** `k="v",…` of a data point's attributes, without braces. */
function labelText(attributes: Attributes): string {
  const frozen = Object.isFrozen(attributes);
  if (frozen) {
    const cached = labelCache.get(attributes);
    if (cached !== undefined) return cached;
  }
  let out = '';
  for (const key of Object.keys(attributes)) {
    out += `${out.length > 0 ? ',' : ''}${sanitize(key)}="${labelValue(attributes[key])}"`;
  }
  if (frozen) labelCache.set(attributes, out);
  return out;
}

function familyName(metric: MetricData): string | undefined {
  let name = sanitize(escapeText(metric.descriptor.name));
  if (name === '' || name === '_') return undefined;
  if (name[0] >= '0' && name[0] <= '9') name = `_${name}`;
  if (metric.dataPointType === DataPointType.SUM && metric.isMonotonic && !name.endsWith('_total')) name += '_total';
  return name;
}

function typeOf(metric: MetricData): string {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return 'untyped';
  }
}

function series(name: string, labels: string, extra: string, value: number): string {
  const all = labels.length > 0 ? (extra.length > 0 ? `${labels},${extra}` : labels) : extra;
  return all.length > 0 ? `${name}{${all}} ${numberText(value)}\n` : `${name} ${numberText(value)}\n`;
}

function histogramSeries(name: string, point: DataPoint<Histogram>, scopeLabels: string): string {
  const labels = labelText(point.attributes);
  const h = point.value;
  let out = '';
  if (h.count != null) out += series(`${name}_count`, labels, scopeLabels, h.count);
  if (h.sum != null) out += series(`${name}_sum`, labels, scopeLabels, h.sum);
  const { boundaries, counts } = h.buckets;
  let cumulative = 0;
  let infinityGiven = false;
  const scopeAndLe = scopeLabels.length > 0 ? `${scopeLabels},le=` : 'le=';
  for (let i = 0; i < counts.length; i++) {
    cumulative += counts[i];
    const bound = boundaries[i];
    if (bound === undefined && infinityGiven) break;
    if (bound === Infinity) infinityGiven = true;
    const le = bound === undefined || bound === Infinity ? '+Inf' : labelValue(String(bound));
    out += series(`${name}_bucket`, labels, `${scopeAndLe}"${le}"`, cumulative);
  }
  return out;
}

/**
 * The exposition as a sequence of chunks, each at most SERIES_PER_CHUNK series long. The consumer
 * may pause between chunks; the data was collected before, so pausing cannot tear a family.
 */
export function* prometheusText(resource: Resource, scope: Scope, metrics: readonly MetricData[]): Generator<string, void> {
  yield `# HELP target_info Target metadata\n# TYPE target_info gauge\n${series('target_info', labelText(resource.attributes), '', 1)}`;
  let scopeLabels = `${SCOPE_NAME}="${labelValue(scope.name)}"`;
  if (scope.schemaUrl) scopeLabels += `,${SCOPE_SCHEMA_URL}="${labelValue(scope.schemaUrl)}"`;
  if (scope.version) scopeLabels += `,${SCOPE_VERSION}="${labelValue(scope.version)}"`;
  let wrote = false;
  for (const metric of metrics) {
    const name = familyName(metric);
    if (name === undefined) continue;
    wrote = true;
    const unit = metric.descriptor.unit ? `\n# UNIT ${name} ${escapeText(metric.descriptor.unit)}` : '';
    let chunk = `# HELP ${name} ${escapeText(metric.descriptor.description || 'description missing')}${unit}\n# TYPE ${name} ${typeOf(metric)}\n`;
    let inChunk = 0;
    const histogram = metric.dataPointType === DataPointType.HISTOGRAM;
    const points = metric.dataPoints as DataPoint<unknown>[];
    for (let i = 0; i < points.length; i++) {
      const point = points[i];
      chunk += histogram
        ? histogramSeries(name, point as DataPoint<Histogram>, scopeLabels)
        : series(name, labelText(point.attributes), scopeLabels, point.value as number);
      if (++inChunk === SERIES_PER_CHUNK) {
        yield chunk;
        chunk = '';
        inChunk = 0;
      }
    }
    if (chunk.length > 0) yield chunk;
  }
  if (!wrote) yield '# no registered metrics';
}

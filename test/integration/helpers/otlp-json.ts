import { randomBytes } from 'node:crypto';

/** Builders for OTLP/JSON request bodies (the wire format of POST /v1/traces and /v1/metrics). */

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
export type KeyValue = { key: string; value: AnyValue };

export const attr = (key: string, value: string | number | boolean): KeyValue => ({
  key,
  value:
    typeof value === 'string'
      ? { stringValue: value }
      : typeof value === 'boolean'
        ? { boolValue: value }
        : Number.isInteger(value)
          ? { intValue: String(value) }
          : { doubleValue: value },
});

export const attrs = (record: Record<string, string | number | boolean>): KeyValue[] => Object.entries(record).map(([k, v]) => attr(k, v));

export const hexId = (bytes: number): string => randomBytes(bytes).toString('hex');

const nanos = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

export interface SpanInput {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Record<string, string | number | boolean>;
}

/** One span in one resource, ending now. */
export function tracesBody(resource: Record<string, string>, span: SpanInput): object {
  const now = Date.now();
  return {
    resourceSpans: [
      {
        resource: { attributes: attrs(resource) },
        scopeSpans: [
          {
            scope: { name: 'meshkit-integration-test' },
            spans: [
              {
                traceId: span.traceId,
                spanId: span.spanId,
                ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
                name: span.name,
                kind: 1,
                startTimeUnixNano: nanos(now - 500),
                endTimeUnixNano: nanos(now),
                attributes: attrs(span.attributes ?? {}),
              },
            ],
          },
        ],
      },
    ],
  };
}

export type MetricInput =
  | { name: string; unit: string; kind: 'counter'; labels: Record<string, string>; value: number }
  | { name: string; unit: string; kind: 'gauge'; labels: Record<string, string>; value: number }
  | { name: string; unit: string; kind: 'histogram'; labels: Record<string, string>; bounds: number[]; counts: number[]; sum: number };

/** Cumulative metrics, as the OpenTelemetry JS SDK sends them. */
export function metricsBody(resource: Record<string, string>, metrics: MetricInput[]): object {
  const now = Date.now();
  const point = (labels: Record<string, string>) => ({ attributes: attrs(labels), startTimeUnixNano: nanos(now - 60_000), timeUnixNano: nanos(now) });
  return {
    resourceMetrics: [
      {
        resource: { attributes: attrs(resource) },
        scopeMetrics: [
          {
            scope: { name: 'meshkit-integration-test' },
            metrics: metrics.map((m) => {
              const base = { name: m.name, unit: m.unit };
              switch (m.kind) {
                case 'counter':
                  return { ...base, sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ ...point(m.labels), asDouble: m.value }] } };
                case 'gauge':
                  return { ...base, gauge: { dataPoints: [{ ...point(m.labels), asDouble: m.value }] } };
                case 'histogram':
                  return {
                    ...base,
                    histogram: {
                      aggregationTemporality: 2,
                      dataPoints: [
                        {
                          ...point(m.labels),
                          count: String(m.counts.reduce((a, b) => a + b, 0)),
                          sum: m.sum,
                          bucketCounts: m.counts.map(String),
                          explicitBounds: m.bounds,
                        },
                      ],
                    },
                  };
              }
            }),
          },
        ],
      },
    ],
  };
}

/** POSTs an OTLP/JSON body to `<base>/v1/<signal>` and fails on anything but 200. */
export async function postOtlp(base: string, signal: 'traces' | 'metrics', body: object): Promise<void> {
  const response = await fetch(`${base}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST ${base}/v1/${signal}: ${response.status} ${text}`);
}

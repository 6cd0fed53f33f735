import { ATTR, SERVICE_NAME } from '../schema/spans';
import { UserError } from '../cli/user-error';
import type { TimelineSpan } from './model';

interface JaegerSpan {
  spanID: string;
  operationName: string;
  references?: { refType: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags?: JaegerKv[];
  logs?: { timestamp: number; fields?: JaegerKv[] }[];
}
type JaegerKv = { key: string; value: string | number | boolean };
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
}


const record = (kvs: JaegerKv[] | undefined): TimelineSpan['attributes'] => Object.fromEntries((kvs ?? []).map((kv) => [kv.key, kv.value]));

function toTimelineSpan(span: JaegerSpan, traceId: string): TimelineSpan {
  const attributes = record(span.tags);
  const events = (span.logs ?? [])
    .map((log) => {
      const { event, ...rest } = record(log.fields);
      return { name: String(event ?? ''), atUs: log.timestamp, attributes: rest };
    })
    .sort((a, b) => a.atUs - b.atUs);
  return {
    traceId,
    spanId: span.spanID,
    parentSpanId: span.references?.find((r) => r.refType === 'CHILD_OF')?.spanID,
    name: span.operationName,
    startUs: span.startTime,
    durationUs: span.duration,
    attributes,
    error: attributes['otel.status_code'] === 'ERROR' || attributes.error === true,
    events,
  };
}

/**
 * Finds the trace of one plan, searched from `lookbackHours` before `nowMs` through the Jaeger query API (search by the plan-id attribute on the
 * plan span) and returns its spans.
 */
export async function fetchPlanTrace(queryUrl: string, planId: string, lookbackHours = 48, nowMs = Date.now()): Promise<TimelineSpan[]> {
  const params = new URLSearchParams({
    service: SERVICE_NAME,
    // Any span of the plan: its creation marker is exported at once, the plan span only when it ends.
    tags: JSON.stringify({ [ATTR.planId]: planId }),
    start: String((nowMs - lookbackHours * 3600_000) * 1000),
    end: String((nowMs + 3600_000) * 1000),
    limit: '20',
  });
  const traces = await get(queryUrl, `/api/traces?${params}`, 'the trace search');
  if (traces.length === 0) throw new UserError(`no trace found for plan ${planId} in the last ${lookbackHours} hours.`);
  // A plan has one trace; if the search returns several (a reused id), show the newest.
  const newest = traces.reduce((a, b) => (Math.min(...a.spans.map((s) => s.startTime)) >= Math.min(...b.spans.map((s) => s.startTime)) ? a : b));
  return newest.spans.map((span) => toTimelineSpan(span, newest.traceID));
}

/** The spans of one trace by its id (32 hex digits). */
export async function fetchTraceById(queryUrl: string, traceId: string): Promise<TimelineSpan[]> {
  if (!/^[0-9a-f]{1,32}$/i.test(traceId)) throw new UserError(`"${traceId}" is not a trace id (up to 32 hex digits).`);
  const traces = await get(queryUrl, `/api/traces/${traceId}`, 'the trace lookup', true);
  const found = traces[0];
  if (!found) throw new UserError(`no trace ${traceId} in the trace backend.`);
  return found.spans.map((span) => toTimelineSpan(span, found.traceID));
}

async function get(queryUrl: string, pathAndQuery: string, what: string, notFoundIsEmpty = false): Promise<JaegerTrace[]> {
  let response: Response;
  try {
    response = await fetch(`${queryUrl.replace(/\/$/, '')}${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new UserError(`the trace backend at ${queryUrl} is not reachable; start it with "meshkit-rebalance-obs stack up" or pass --query URL.`);
  }
  if (notFoundIsEmpty && response.status === 404) return [];
  if (!response.ok) throw new UserError(`the trace backend at ${queryUrl} answered HTTP ${response.status} to ${what}.`);
  const body = (await response.json()) as { data?: JaegerTrace[] };
  return body.data ?? [];
}

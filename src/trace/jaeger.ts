import { ATTR, SERVICE_NAME } from '../schema/spans';
import { UserError } from '../cli/user-error';
import type { TimelineSpan } from './model';

interface JaegerSpan {
  spanID: string;
  operationName: string;
  references?: { refType: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags?: { key: string; value: string | number | boolean }[];
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
}


function toTimelineSpan(span: JaegerSpan): TimelineSpan {
  const attributes: TimelineSpan['attributes'] = {};
  for (const tag of span.tags ?? []) attributes[tag.key] = tag.value;
  return {
    spanId: span.spanID,
    parentSpanId: span.references?.find((r) => r.refType === 'CHILD_OF')?.spanID,
    name: span.operationName,
    startUs: span.startTime,
    durationUs: span.duration,
    attributes,
    error: attributes['otel.status_code'] === 'ERROR' || attributes.error === true,
  };
}

/**
 * Finds the trace of one plan through the Jaeger query API (search by the plan-id attribute on the
 * plan span) and returns its spans.
 */
export async function fetchPlanTrace(queryUrl: string, planId: string, lookbackHours = 48): Promise<TimelineSpan[]> {
  const params = new URLSearchParams({
    service: SERVICE_NAME,
    // Any span of the plan: its creation marker is exported at once, the plan span only when it ends.
    tags: JSON.stringify({ [ATTR.planId]: planId }),
    start: String((Date.now() - lookbackHours * 3600_000) * 1000),
    end: String((Date.now() + 3600_000) * 1000),
    limit: '20',
  });
  const url = `${queryUrl.replace(/\/$/, '')}/api/traces?${params}`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new UserError(`the trace backend at ${queryUrl} is not reachable; start it with "meshkit-rebalance-obs stack up" or pass --query URL.`);
  }
  if (!response.ok) throw new UserError(`the trace backend at ${queryUrl} answered HTTP ${response.status} to the trace search.`);
  const body = (await response.json()) as { data?: JaegerTrace[] };
  const traces = body.data ?? [];
  if (traces.length === 0) throw new UserError(`no trace found for plan ${planId} in the last ${lookbackHours} hours.`);
  // A plan has one trace; if the search returns several (a reused id), show the newest.
  const newest = traces.reduce((a, b) => (Math.min(...a.spans.map((s) => s.startTime)) >= Math.min(...b.spans.map((s) => s.startTime)) ? a : b));
  return newest.spans.map(toTimelineSpan);
}

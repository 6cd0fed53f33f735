import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { pidAlive, stopPid, waitReady } from '../../../src/stack/processes';

/** Polls `probe` until it returns a value other than undefined; throws the last reason on timeout. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await sleep(250);
  }
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query; throws unless Prometheus answers `status: success`. */
export async function promQuery(prometheus: string, query: string): Promise<PromSample[]> {
  const response = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; data: { result: PromSample[] }; error?: string };
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result;
}

export interface OtlpSpanView {
  resource: Record<string, string>;
  name: string;
  /** Hex, as Prometheus shows exemplar span ids. */
  spanId: string;
  attributes: Record<string, string>;
  durationSeconds: number;
  /** OTLP status code: 2 is an error. */
  statusCode: number;
}

type Kv = { key: string; value: { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean } };
const kvs = (list: Kv[] | undefined) =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, String(kv.value.stringValue ?? kv.value.intValue ?? kv.value.doubleValue ?? kv.value.boolValue ?? '')]));
/** Jaeger's OTLP/JSON writes ids in hex; protobuf JSON mappings write base64. */
const hexId = (id: string) => (/^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex'));

/** Spans of one trace from Jaeger's API v3 (OTLP/JSON); [] while Jaeger does not have it. */
export async function jaegerTrace(traceQuery: string, traceId: string): Promise<OtlpSpanView[]> {
  const response = await fetch(`${traceQuery}/api/v3/traces/${traceId}`);
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`GET /api/v3/traces/${traceId}: ${response.status}`);
  type Span = { name: string; spanId: string; attributes?: Kv[]; startTimeUnixNano: string; endTimeUnixNano: string; status?: { code?: number | string } };
  const body = (await response.json()) as {
    result?: { resourceSpans?: { resource?: { attributes?: Kv[] }; scopeSpans?: { spans?: Span[] }[] }[] };
  };
  return (body.result?.resourceSpans ?? []).flatMap((rs) => {
    const resource = kvs(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({
        resource,
        name: span.name,
        spanId: hexId(span.spanId),
        attributes: kvs(span.attributes),
        durationSeconds: Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e9,
        statusCode: span.status?.code === 'STATUS_CODE_ERROR' ? 2 : Number(span.status?.code ?? 0),
      })),
    );
  });
}

/** Runs `otelcol validate`: exit code and output. */
export function validateCollector(otelcol: string, configs: string[], env: Record<string, string>): { code: number | null; output: string } {
  const result = spawnSync(otelcol, ['validate', ...configs.map((c) => `--config=${c}`)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

export interface CollectorProcess {
  pid: number;
  log: string;
  stop(): Promise<void>;
}

/** Starts a Collector with one config and its env, and waits for its health_check endpoint. */
export async function startCollector(otelcol: string, config: string, env: Record<string, string>, healthEndpoint: string, log: string): Promise<CollectorProcess> {
  const out = openSync(log, 'a');
  const child = spawn(otelcol, [`--config=${config}`], { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? String(signal))));
  const pid = child.pid!;
  const stop = async () => {
    if (pidAlive(pid)) await stopPid(pid);
  };
  try {
    await waitReady(`http://${healthEndpoint}/`, { pid, exited }, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`collector ${config} did not start: ${(error as Error).message}\n${readFileSync(log, 'utf8').slice(-2000)}`);
  }
  return { pid, log, stop };
}

export interface PromExemplar {
  seriesLabels: Record<string, string>;
  traceId: string;
  spanId: string;
  value: number;
}

/** `/api/v1/query_exemplars` between two Unix times: one entry per exemplar, with its series' labels. */
export async function promExemplars(prometheus: string, query: string, startS: number, endS: number): Promise<PromExemplar[]> {
  const url = `${prometheus}/api/v1/query_exemplars?query=${encodeURIComponent(query)}&start=${startS}&end=${endS}`;
  const body = (await (await fetch(url)).json()) as {
    status: string;
    error?: string;
    data: { seriesLabels: Record<string, string>; exemplars: { labels: Record<string, string>; value: string }[] }[];
  };
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.flatMap((series) =>
    series.exemplars.map((e) => ({ seriesLabels: series.seriesLabels, traceId: e.labels.trace_id ?? '', spanId: e.labels.span_id ?? '', value: Number(e.value) })),
  );
}

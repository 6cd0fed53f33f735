/** Validation of createRebalanceTelemetry's options, complete before anything is started. */
import { resolveLabelNames } from './label-names';
import { isIP } from 'node:net';
import { diag, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import { ID_PATTERN, MAX_ID_LENGTH } from '../schema/labels';
import { DEFAULT_LIMITS, type TelemetryLimits } from '../schema/limits';
import type { InstanceLabels } from './state/enum-series';
import type { RebalanceTelemetryOptions } from './types';

export const DEFAULT_PROMETHEUS_HOST = '127.0.0.1';
export const DEFAULT_PROMETHEUS_PORT = 9464;
export const DEFAULT_PROMETHEUS_ENDPOINT = '/metrics';
export const DEFAULT_EXPORT_INTERVAL_MS = 15_000;
/** Below this, OTLP metric exports would compete with the controller for the event loop. */
export const MIN_EXPORT_INTERVAL_MS = 1_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;
const MAX_SHUTDOWN_TIMEOUT_MS = 600_000;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const URL_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]{0,255}$/;

export interface ResolvedOptions {
  instance: InstanceLabels;
  limits: TelemetryLimits;
  clock: () => number;
  prometheus: { host: string; port: number; endpoint: string } | undefined;
  otlp: { endpoint: string | undefined; metricExportIntervalMillis: number } | undefined;
  shutdownTimeoutMillis: number;
  meterProvider: MeterProvider | undefined;
  tracerProvider: TracerProvider | undefined;
  /** Schema label name → the name emitted instead (namespace and cluster only). */
  labelNames: ReadonlyMap<string, string>;
}

/** Bad options are a programming error at start-up, the one place this SDK throws. */
function fail(message: string): never {
  throw new TypeError(`createRebalanceTelemetry: ${message}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function resolveOptions(options: RebalanceTelemetryOptions): ResolvedOptions {
  if (!isObject(options)) fail('options must be an object');
  const prometheus = options.prometheus;
  const otlp = options.otlp;
  return {
    instance: {
      namespace: requireId(options.namespace, 'namespace'),
      cluster: requireId(options.cluster, 'cluster'),
      controller: requireId(options.controllerId, 'controllerId'),
    },
    limits: resolveLimits(options.limits),
    clock: optionalFunction(options.clock, 'clock') ?? Date.now,
    prometheus: prometheus === undefined ? undefined : resolvePrometheus(prometheus),
    otlp: otlp === undefined ? undefined : resolveOtlp(otlp),
    shutdownTimeoutMillis: integerIn(options.shutdownTimeoutMillis, 'shutdownTimeoutMillis', 1, MAX_SHUTDOWN_TIMEOUT_MS) ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    meterProvider: provider(options.meterProvider, 'meterProvider', 'getMeter'),
    tracerProvider: provider(options.tracerProvider, 'tracerProvider', 'getTracer'),
    labelNames: resolveLabelNames(options.labelNames),
  };
}

function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH || !ID_PATTERN.test(value)) {
    fail(`${field} must be 1-${MAX_ID_LENGTH} characters of [A-Za-z0-9._:/@-]`);
  }
  return value;
}

function resolveLimits(overrides: unknown): TelemetryLimits {
  if (overrides === undefined) return { ...DEFAULT_LIMITS };
  if (!isObject(overrides)) fail('limits must be an object');
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_LIMITS)) fail(`limits.${key} is not a limit (${Object.keys(DEFAULT_LIMITS).join(', ')})`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) fail(`limits.${key} must be a positive integer`);
    limits[key] = value;
  }
  return limits as unknown as TelemetryLimits;
}

function resolvePrometheus(value: unknown): ResolvedOptions['prometheus'] {
  if (!isObject(value)) fail('prometheus must be an object ({ host, port, endpoint })');
  const host = value.host ?? DEFAULT_PROMETHEUS_HOST;
  if (typeof host !== 'string' || host.length === 0) {
    fail(`prometheus.host must be a non-empty address (${DEFAULT_PROMETHEUS_HOST} by default; 0.0.0.0 or :: to bind every interface)`);
  }
  if (isIP(host) === 0 && !HOSTNAME.test(host)) fail('prometheus.host must be an IP address or a host name');
  const port = integerIn(value.port, 'prometheus.port', 0, 65535) ?? DEFAULT_PROMETHEUS_PORT;
  const endpoint = value.endpoint ?? DEFAULT_PROMETHEUS_ENDPOINT;
  if (typeof endpoint !== 'string' || !URL_PATH.test(endpoint)) {
    fail(`prometheus.endpoint must be a URL path starting with "/" (like ${DEFAULT_PROMETHEUS_ENDPOINT}), without query or fragment`);
  }
  return { host, port, endpoint };
}

function resolveOtlp(value: unknown): ResolvedOptions['otlp'] {
  if (!isObject(value)) fail('otlp must be an object ({ endpoint, metricExportIntervalMillis })');
  let endpoint: string | undefined;
  if (value.endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = typeof value.endpoint === 'string' ? new URL(value.endpoint) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) fail('otlp.endpoint must be an http:// or https:// URL');
    endpoint = (value.endpoint as string).replace(/\/+$/, '');
  }
  const interval =
    integerIn(value.metricExportIntervalMillis, 'otlp.metricExportIntervalMillis', MIN_EXPORT_INTERVAL_MS, 2 ** 31 - 1) ?? envInterval() ?? DEFAULT_EXPORT_INTERVAL_MS;
  return { endpoint, metricExportIntervalMillis: interval };
}

/**
 * OTEL_METRIC_EXPORT_INTERVAL, as OpenTelemetry SDKs treat their variables: a value that is not a
 * positive integer is ignored with a warning, one under the floor is raised to it.
 */
export function envInterval(raw = process.env.OTEL_METRIC_EXPORT_INTERVAL): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    diag.warn(`meshkit-rebalance: OTEL_METRIC_EXPORT_INTERVAL=${JSON.stringify(raw.slice(0, 32))} is not a positive integer of milliseconds; using ${DEFAULT_EXPORT_INTERVAL_MS}`);
    return undefined;
  }
  if (value < MIN_EXPORT_INTERVAL_MS) {
    diag.warn(`meshkit-rebalance: OTEL_METRIC_EXPORT_INTERVAL=${value} is under the ${MIN_EXPORT_INTERVAL_MS} ms floor; using ${MIN_EXPORT_INTERVAL_MS}`);
    return MIN_EXPORT_INTERVAL_MS;
  }
  return value;
}

function integerIn(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(`${field} must be an integer from ${min} to ${max}`);
  return value;
}

function optionalFunction<T>(value: unknown, field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(`${field} must be a function`);
  return value as T;
}

function provider<T>(value: unknown, field: string, method: string): T | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value[method] !== 'function') fail(`${field} must be an OpenTelemetry ${field} (with ${method}())`);
  return value as T;
}

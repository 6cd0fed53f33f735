/** Options are checked completely before anything starts; the pull endpoint says when it cannot listen. */
import { createServer } from 'node:net';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { createRebalanceTelemetry, type RebalanceTelemetryOptions } from '../../../src';
import { envInterval, MIN_EXPORT_INTERVAL_MS } from '../../../src/sdk/options';
import { freePort } from '../../helpers/net';

const base = { namespace: 'ns', cluster: 'c1', controllerId: 'ctl' };
const create = (extra: Record<string, unknown>) => createRebalanceTelemetry({ ...base, ...extra } as RebalanceTelemetryOptions);

describe('options', () => {
  it.each([
    [{ prometheus: { host: '' } }, /prometheus\.host/],
    [{ prometheus: { host: 5 } }, /prometheus\.host/],
    [{ prometheus: { host: 'not a host' } }, /prometheus\.host/],
    [{ prometheus: { endpoint: 'metrics' } }, /prometheus\.endpoint/],
    [{ prometheus: { endpoint: '/metrics?x=1' } }, /prometheus\.endpoint/],
    [{ prometheus: { port: 70_000 } }, /prometheus\.port/],
    [{ prometheus: { port: 1.5 } }, /prometheus\.port/],
    [{ prometheus: 'yes' }, /prometheus must be an object/],
    [{ otlp: { metricExportIntervalMillis: 'abc' } }, /metricExportIntervalMillis/],
    [{ otlp: { metricExportIntervalMillis: 0.5 } }, /metricExportIntervalMillis/],
    [{ otlp: { metricExportIntervalMillis: MIN_EXPORT_INTERVAL_MS - 1 } }, /metricExportIntervalMillis/],
    [{ otlp: { endpoint: 'collector:4318' } }, /otlp\.endpoint/],
    [{ shutdownTimeoutMillis: 0 }, /shutdownTimeoutMillis/],
    [{ limits: { maxLivePlan: 5 } }, /limits\.maxLivePlan is not a limit/],
    [{ clock: 5 }, /clock/],
    [{ tracerProvider: {} }, /tracerProvider/],
  ])('%j is refused at construction', (extra, message) => {
    expect(() => create(extra)).toThrow(message);
  });

  it('binds every interface only when told 0.0.0.0 or ::, and reports the URL it bound', async () => {
    const t = create({ prometheus: { port: 0 } });
    await t.ready;
    expect(t.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/metrics$/);
    await t.shutdown();
    const all = create({ prometheus: { host: '0.0.0.0', port: 0, endpoint: '/m' } });
    await all.ready;
    expect(all.prometheusUrl).toMatch(/^http:\/\/0\.0\.0\.0:[1-9]\d*\/m$/);
    await all.shutdown();
  });

  it('rejects ready when the port is taken, releases everything and reports no URL of its own', async () => {
    const port = await freePort();
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    try {
      const t = create({ prometheus: { port } });
      await expect(t.ready).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}.*EADDRINUSE`));
      expect(t.prometheusUrl).toBeUndefined();
      // The instance is shut down: hook calls are counted as rejected, and shutdown() resolves.
      await expect(t.shutdown()).resolves.toBeUndefined();
    } finally {
      squatter.close();
    }
  });

  describe('OTEL_METRIC_EXPORT_INTERVAL', () => {
    const warnings: string[] = [];
    beforeAll(() =>
      diag.setLogger({ warn: (m: string) => void warnings.push(m), error: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true }),
    );
    afterAll(() => diag.disable());

    it('raises a value under the floor to it, ignores one that is not a number, keeps a good one', () => {
      expect(envInterval('1')).toBe(MIN_EXPORT_INTERVAL_MS);
      expect(envInterval('abc')).toBeUndefined();
      expect(envInterval('0.5')).toBeUndefined();
      expect(envInterval('30000')).toBe(30_000);
      expect(envInterval(undefined)).toBeUndefined();
      expect(warnings.filter((w) => w.includes('OTEL_METRIC_EXPORT_INTERVAL'))).toHaveLength(3);
    });
  });
});

/**
 * Defect 4 of #11: a bad option threw after the pull endpoint had started listening, so a retry
 * with good options on the same port silently got EADDRINUSE and served nothing of its own.
 */
import { createRebalanceTelemetry } from '../../../../src';
import { freePort } from '../../../helpers/net';

describe('a rejected configuration', () => {
  it('leaves the port free for a corrected retry', async () => {
    const port = await freePort();
    expect(() =>
      createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'first', prometheus: { port }, otlp: { metricExportIntervalMillis: -1 } }),
    ).toThrow(/metricExportIntervalMillis/);
    // Give a server the first call might have started the time to bind, as it did before.
    await new Promise((r) => setTimeout(r, 200));
    const t = createRebalanceTelemetry({ namespace: 'ns', cluster: 'c1', controllerId: 'second', prometheus: { port } });
    try {
      await t.ready;
      t.planCreated({ planId: 'retry-plan', trigger: 'manual', movesPlanned: 1 });
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toContain('plan_id="retry-plan"');
      expect(text).toContain('service_instance_id="second"');
    } finally {
      await t.shutdown();
    }
  });
});

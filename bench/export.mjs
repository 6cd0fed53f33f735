// Export at scale: with N live plans (10,000 and 20,000), the cost of one Prometheus scrape and one
// OTLP metrics export, and the longest event-loop block while each runs (monitorEventLoopDelay).
// References in the same process: prom-client's registry.metrics() over the same per-plan series,
// and the stock OpenTelemetry path the SDK used before (collect everything, then
// PrometheusSerializer / one OTLP request). Run directly it prints one JSON line; run.mjs does that.
import { createServer, get } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import promClient from 'prom-client';
import { createRebalanceTelemetry, METRICS, LABELS } from '../dist/esm/index.mjs';
import { median } from './harness.mjs';

const SIZES = [10_000, 20_000];
const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 7);
const NS = 'payments';
const CLUSTER = 'eu-west-1a';
const STATES = ['draft', 'pending_approval', 'approved', 'executing', 'paused', 'blocked'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

/** A loopback OTLP receiver that reads each request whole and answers 200. */
async function otlpSink() {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c) => (bytes += c.length));
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, server, stats: () => ({ requests, bytes }) };
}

function scrape(url) {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve(bytes));
    }).on('error', reject);
  });
}

/** Wall time of `fn` and the longest event-loop block seen while it ran. */
async function measure(fn) {
  const h = monitorEventLoopDelay({ resolution: 1 });
  // A timer keeps the loop sampled even while `fn` waits on I/O.
  h.enable();
  await sleep(5);
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  // Let the delayed timer fire, so a block that ends with `fn` is recorded too.
  await sleep(5);
  h.disable();
  return { ms, maxBlockMs: h.max / 1e6, result };
}

function driveSdk(t, plans) {
  for (let i = 0; i < plans; i++) {
    const planId = `plan-${i}`;
    t.planCreated({ planId, trigger: 'imbalance', movesPlanned: 4 });
    if (i % 3 === 0) t.planSubmitted({ planId });
    else t.planStarted({ planId });
  }
}

function promReference(plans) {
  const registry = new promClient.Registry();
  const registers = [registry];
  const planLabels = [LABELS.namespace.name, LABELS.cluster.name, LABELS.planId.name];
  const state = new promClient.Gauge({ name: METRICS.planState.name, help: METRICS.planState.help, labelNames: [...planLabels, LABELS.planState.name], registers });
  const remaining = new promClient.Gauge({ name: METRICS.planMovesRemaining.name, help: METRICS.planMovesRemaining.help, labelNames: planLabels, registers });
  const progress = new promClient.Gauge({ name: METRICS.planLastProgress.name, help: METRICS.planLastProgress.help, labelNames: planLabels, registers });
  const now = Date.now() / 1000;
  for (let i = 0; i < plans; i++) {
    const planId = `plan-${i}`;
    state.labels(NS, CLUSTER, planId, STATES[i % 3 === 0 ? 1 : 3]).set(1);
    remaining.labels(NS, CLUSTER, planId).set(4);
    progress.labels(NS, CLUSTER, planId).set(now);
  }
  return registry;
}

export async function runExport() {
  const sink = await otlpSink();
  const out = { runs: RUNS, sizes: {} };
  for (const plans of SIZES) {
    const t = createRebalanceTelemetry({
      namespace: NS,
      cluster: CLUSTER,
      controllerId: 'rebalancer-0',
      prometheus: { port: 0 },
      otlp: { endpoint: sink.url, metricExportIntervalMillis: 3_600_000 },
      limits: { maxLivePlans: plans },
    });
    await t.ready;
    driveSdk(t, plans);
    const registry = promReference(plans);
    const serializer = new PrometheusSerializer(undefined, false);
    const stockExporter = new OTLPMetricExporter({ url: `${sink.url}/v1/metrics` });
    const rows = { idleBlock: [], scrape: [], scrapeBlock: [], prom: [], promBlock: [], stockScrape: [], stockScrapeBlock: [], otlp: [], otlpBlock: [], stockOtlp: [], stockOtlpBlock: [] };
    let bytes = 0;
    let promBytes = 0;
    let requestsPerExport = 0;
    // One untimed pass of each, so neither side is timed while its code is still being compiled.
    await scrape(t.prometheusUrl);
    await registry.metrics();
    await t.forceFlush();
    for (let r = 0; r < RUNS; r++) {
      // The noise floor: the longest loop delay while this process does nothing (other load on the machine).
      rows.idleBlock.push((await measure(() => sleep(200))).maxBlockMs);
      const s = await measure(() => scrape(t.prometheusUrl));
      rows.scrape.push(s.ms);
      rows.scrapeBlock.push(s.maxBlockMs);
      bytes = s.result;
      const p = await measure(async () => (await registry.metrics()).length);
      rows.prom.push(p.ms);
      rows.promBlock.push(p.maxBlockMs);
      promBytes = p.result;
      const st = await measure(async () => serializer.serialize(t.metricProducer.resourceMetrics(t.metricProducer.collectMetrics())).length);
      rows.stockScrape.push(st.ms);
      rows.stockScrapeBlock.push(st.maxBlockMs);
      const before = sink.stats().requests;
      const o = await measure(() => t.forceFlush());
      requestsPerExport = sink.stats().requests - before;
      rows.otlp.push(o.ms);
      rows.otlpBlock.push(o.maxBlockMs);
      const so = await measure(
        () => new Promise((resolve) => stockExporter.export(t.metricProducer.resourceMetrics(t.metricProducer.collectMetrics()), resolve)),
      );
      rows.stockOtlp.push(so.ms);
      rows.stockOtlpBlock.push(so.maxBlockMs);
    }
    const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
    const worst = (k) => Math.max(...rows[k]);
    out.sizes[plans] = {
      plans,
      scrapeBytes: bytes,
      promBytes,
      medianMs: m,
      maxBlockMsWorstRun: { idle: worst('idleBlock'), scrape: worst('scrapeBlock'), prom: worst('promBlock'), stockScrape: worst('stockScrapeBlock'), otlp: worst('otlpBlock'), stockOtlp: worst('stockOtlpBlock') },
      ratios: {
        scrapeVsPromMetrics: median(rows.scrape.map((x, i) => x / rows.prom[i])),
        stockScrapeVsPromMetrics: median(rows.stockScrape.map((x, i) => x / rows.prom[i])),
        otlpVsStockOtlp: median(rows.otlp.map((x, i) => x / rows.stockOtlp[i])),
      },
      otlpRequestsPerExport: requestsPerExport,
    };
    await stockExporter.shutdown();
    await t.shutdown();
  }
  sink.server.close();
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await runExport())}\n`);
}

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataPointType, AggregationTemporality, type MetricData } from '@opentelemetry/sdk-metrics';
import { ValueType } from '@opentelemetry/api';
import { createRebalanceTelemetry, METRIC_LIST } from '../../../src';
import { OpenMetricsHistoryWriter, escapeLabel, formatLe, targetLabels } from '../../../src/simulator/openmetrics';
import { JOB } from '../../../src/simulator/runner';
import { parseExposition } from '../../helpers/exposition';
import { runFullLifecycle } from '../../helpers/lifecycle';
import { fetchText, freePort } from '../../helpers/net';
import { history, tempDir } from './helpers';
import { forEachLine } from './signals';

const tmp = tempDir('openmetrics');
afterAll(() => tmp.cleanup());

interface Line {
  name: string;
  labels: Record<string, string>;
  value: number;
}
const key = (l: Line) => `${l.name}{${Object.entries(l.labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}} ${l.value}`;

describe('OpenMetrics history writer', () => {
  it('writes the samples the SDK Prometheus endpoint serves, with job/instance and a timestamp', async () => {
    const port = await freePort();
    let now = Date.UTC(2026, 0, 5, 12);
    const t = createRebalanceTelemetry({ namespace: 'payments', cluster: 'eu-1', controllerId: 'ctl-0', prometheus: { port }, clock: () => now });
    try {
      runFullLifecycle(t);
      now += 1000;
      const scraped = parseExposition(await fetchText(t.prometheusUrl!))
        .filter((s) => s.name !== 'target_info')
        .map((s) => {
          const labels: Record<string, string> = { ...s.labels, job: JOB, instance: 'ctl-0' };
          delete labels.otel_scope_name;
          delete labels.otel_scope_version;
          if (labels.le !== undefined) labels.le = labels.le === '+Inf' ? '+Inf' : formatLe(Number(labels.le));
          return { name: s.name, labels, value: s.value };
        });
      const file = path.join(tmp.dir, 'one.om');
      const writer = new OpenMetricsHistoryWriter(file);
      writer.write(t.metricProducer.collectMetrics(), targetLabels(JOB, 'ctl-0'), now);
      writer.finish();
      const text = readFileSync(file, 'utf8');
      const written: Line[] = [];
      for (const line of text.split('\n')) {
        if (line === '' || line.startsWith('#')) continue;
        const parts = line.split(' ');
        expect(parts[parts.length - 1]).toBe(String(now / 1000));
        const [sample] = parseExposition(parts.slice(0, -1).join(' '));
        written.push({ name: sample.name, labels: sample.labels, value: sample.value });
      }
      expect(written.map(key).sort()).toEqual(scraped.map(key).sort());
      expect(text.endsWith('# EOF\n')).toBe(true);
    } finally {
      await t.shutdown();
    }
  });

  it('names counter families without _total, keeps every family contiguous and in schema order', async () => {
    const { file } = await history(tmp.dir, 'repeated-failures', { hours: 0.5 });
    const families: string[] = [];
    const types = new Map<string, string>();
    let current = '';
    const seen = new Set<string>();
    let eof = 0;
    let after = 0;
    forEachLine(file, (line) => {
      if (line === '# EOF') return void eof++;
      if (eof > 0 && line !== '') after++;
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) {
        current = `${type[1]}:${type[2]}`;
        expect(seen.has(current)).toBe(false);
        seen.add(current);
        families.push(current);
        types.set(type[1], type[2]);
        return;
      }
      if (line.startsWith('#') || line === '') return;
      const name = line.slice(0, line.indexOf('{'));
      const [family, kind] = current.split(':');
      const allowed = kind === 'counter' ? [`${family}_total`] : kind === 'histogram' ? ['_bucket', '_count', '_sum'].map((s) => family + s) : [family];
      expect(allowed).toContain(name);
    });
    expect(eof).toBe(1);
    expect(after).toBe(0);
    const expected = METRIC_LIST.map((m) => (m.kind === 'counter' ? `${m.name.replace(/_total$/, '')}:counter` : `${m.name}:${m.kind}`)).filter((f) => seen.has(f));
    expect(families).toEqual(expected);
    expect(types.size).toBeGreaterThan(15);
  });

  it('escapes label values and formats bucket bounds as Prometheus stores them', () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(escapeLabel('plain')).toBe('plain');
    expect([0.05, 1, 3600, Infinity].map(formatLe)).toEqual(['0.05', '1.0', '3600.0', '+Inf']);
    const file = path.join(tmp.dir, 'escape.om');
    const writer = new OpenMetricsHistoryWriter(file);
    const metric: MetricData = {
      descriptor: { name: 'custom_gauge', description: 'not "in" the schema', unit: '', valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [{ attributes: { note: 'say "hi"\\now' }, value: NaN, startTime: [0, 0], endTime: [0, 0] }],
    };
    writer.write([metric], targetLabels('j', 'i"1'), 1500);
    writer.finish();
    expect(readFileSync(file, 'utf8')).toBe(
      '# HELP custom_gauge not \\"in\\" the schema\n# TYPE custom_gauge gauge\n' +
        'custom_gauge{note="say \\"hi\\"\\\\now",job="j",instance="i\\"1"} NaN 1.5\n# EOF\n',
    );
  });

  it('spills each family to disk as it grows instead of holding the history in memory', () => {
    const dir = tempDir('spill');
    try {
      const file = path.join(dir.dir, 'big.om');
      const writer = new OpenMetricsHistoryWriter(file);
      const points = Array.from({ length: 2000 }, (_, i) => ({ attributes: { node: `node-${i}` }, value: i, startTime: [0, 0] as [number, number], endTime: [0, 0] as [number, number] }));
      const metric: MetricData = {
        descriptor: { name: 'big_gauge', description: 'big', unit: '', valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: points,
      };
      for (let t = 1; t <= 20; t++) writer.write([metric], targetLabels('j', 'i'), t * 15_000);
      const spill = readdirSync(dir.dir).filter((f) => f.startsWith('.big.om.families-'));
      expect(spill).toHaveLength(1);
      const spilled = readdirSync(path.join(dir.dir, spill[0])).map((f) => statSync(path.join(dir.dir, spill[0], f)).size);
      expect(spilled.reduce((a, b) => a + b, 0)).toBeGreaterThan(1_000_000);
      const { bytes, samples } = writer.finish();
      expect(samples).toBe(40_000);
      expect(statSync(file).size).toBe(bytes);
      expect(readdirSync(dir.dir)).toEqual(['big.om']);
    } finally {
      dir.cleanup();
    }
  });

  it('leaves no spill files behind', () => {
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('source hygiene', () => {
  it('spells no metric name in src/simulator: names come from the schema', () => {
    const root = path.join(__dirname, '../../../src/simulator');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/meshkit_/i.test(readFileSync(file, 'utf8'))) offenders.push(path.relative(root, file));
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

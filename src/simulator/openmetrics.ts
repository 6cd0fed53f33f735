import { closeSync, mkdtempSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DataPointType, type DataPoint, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import { METRIC_LIST, type MetricSpec } from '../index';

type FamilyType = 'counter' | 'gauge' | 'histogram';

interface Family {
  /** OpenMetrics family name: a counter's name without `_total`. */
  readonly name: string;
  /** Name of its samples: `<family>_total` for counters, the family name otherwise. */
  readonly sample: string;
  readonly type: FamilyType;
  readonly help: string;
  readonly unit: string | undefined;
  parts: string[];
  buffered: number;
  samples: number;
  readonly series: Set<string>;
  /** Prometheus series per label set: 1, or buckets + `_count` + `_sum` for a histogram. */
  seriesPerSet: number;
  spill: { file: string; fd: number } | undefined;
}

const FLUSH_AT = 256 * 1024;

/**
 * Writes collections of the SDK's metric data, taken at successive virtual times, as one OpenMetrics
 * text file the way Prometheus would have scraped them: counters as `<name>_total` under
 * `# TYPE <name> counter`, histograms as `_bucket{le}`, `_count` and `_sum`, the target's `job` and
 * `instance` labels added, timestamps in seconds. OpenMetrics wants each family's samples together,
 * so every family is spilled to its own temporary file as scrapes arrive and the families are
 * concatenated, in schema order, at the end: memory stays bounded whatever the length of the run.
 */
export class OpenMetricsHistoryWriter {
  private readonly families: Family[] = [];
  private readonly byKey = new Map<string, Family>();
  private readonly labelCache = new WeakMap<Attributes, string>();
  private spillDir: string | undefined;
  private finished = false;

  constructor(private readonly outFile: string) {
    for (const spec of METRIC_LIST) this.family(spec.kind, spec.name, spec);
  }

  /** Appends one scrape of one target: `metrics` as collected, `targetLabels` like `job="x",instance="y"`. */
  write(metrics: readonly MetricData[], targetLabels: string, timestampMs: number): void {
    const ts = ` ${timestampMs / 1000}\n`;
    for (const metric of metrics) {
      const type: FamilyType =
        metric.dataPointType === DataPointType.HISTOGRAM
          ? 'histogram'
          : metric.dataPointType === DataPointType.SUM && metric.isMonotonic
            ? 'counter'
            : 'gauge';
      const promName = type === 'counter' && !metric.descriptor.name.endsWith('_total') ? `${metric.descriptor.name}_total` : metric.descriptor.name;
      const family = this.byKey.get(`${type}:${promName}`) ?? this.family(type, promName, undefined, metric.descriptor.description);
      let out = '';
      if (type === 'histogram') {
        for (const point of metric.dataPoints as DataPoint<Histogram>[]) {
          const labels = this.labels(point.attributes, targetLabels);
          family.series.add(labels);
          const { boundaries, counts } = point.value.buckets;
          let cumulative = 0;
          for (let i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            const le = i < boundaries.length ? formatLe(boundaries[i]) : '+Inf';
            out += `${family.sample}_bucket{${labels},le="${le}"} ${formatValue(cumulative)}${ts}`;
          }
          out += `${family.sample}_count{${labels}} ${formatValue(point.value.count)}${ts}`;
          out += `${family.sample}_sum{${labels}} ${formatValue(point.value.sum ?? 0)}${ts}`;
          family.samples += counts.length + 2;
          family.seriesPerSet = counts.length + 2;
        }
      } else {
        for (const point of metric.dataPoints as DataPoint<number>[]) {
          const labels = this.labels(point.attributes, targetLabels);
          family.series.add(labels);
          out += `${family.sample}{${labels}} ${formatValue(point.value)}${ts}`;
          family.samples++;
        }
      }
      if (out.length > 0) this.append(family, out);
    }
  }

  /** Writes the file (families in schema order, then `# EOF`) and removes the spill files. */
  finish(): { bytes: number; samples: number; series: number } {
    if (this.finished) throw new Error('history already finished');
    this.finished = true;
    const partial = `${this.outFile}.partial`;
    const out = openSync(partial, 'w');
    let bytes = 0;
    let samples = 0;
    let series = 0;
    const put = (text: string) => {
      bytes += writeSync(out, text);
    };
    try {
      for (const family of this.families) {
        if (family.samples === 0) continue;
        samples += family.samples;
        series += family.series.size * family.seriesPerSet;
        put(`# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`);
        if (family.unit) put(`# UNIT ${family.name} ${family.unit}\n`);
        if (family.spill) {
          this.flush(family);
          closeSync(family.spill.fd);
          bytes += copyInto(out, family.spill.file);
          family.spill = undefined;
        } else {
          put(family.parts.join(''));
        }
        family.parts = [];
      }
      put('# EOF\n');
    } finally {
      closeSync(out);
      this.cleanup();
    }
    renameSync(partial, this.outFile);
    return { bytes, samples, series };
  }

  /** Drops the spill files of a run that will not finish. */
  abort(): void {
    this.finished = true;
    this.cleanup();
    rmSync(`${this.outFile}.partial`, { force: true });
  }

  private family(type: FamilyType, promName: string, spec: MetricSpec | undefined, help?: string): Family {
    const name = type === 'counter' ? promName.replace(/_total$/, '') : promName;
    const family: Family = {
      name,
      sample: type === 'counter' ? `${name}_total` : name,
      type,
      help: spec?.help ?? help ?? '',
      // OpenMetrics only accepts a unit the family name ends with.
      unit: spec?.unit === 's' && name.endsWith('_seconds') ? 'seconds' : undefined,
      parts: [],
      buffered: 0,
      samples: 0,
      series: new Set(),
      seriesPerSet: 1,
      spill: undefined,
    };
    this.families.push(family);
    this.byKey.set(`${type}:${promName}`, family);
    return family;
  }

  private labels(attributes: Attributes, target: string): string {
    // Attribute sets the SDK keeps (frozen) are rendered once; per-collection ones each time.
    const frozen = Object.isFrozen(attributes);
    if (frozen) {
      const cached = this.labelCache.get(attributes);
      if (cached !== undefined) return cached + target;
    }
    let text = '';
    for (const key in attributes) text += `${key}="${escapeLabel(String(attributes[key]))}",`;
    if (frozen) this.labelCache.set(attributes, text);
    return text + target;
  }

  private append(family: Family, text: string): void {
    family.parts.push(text);
    family.buffered += text.length;
    if (family.buffered >= FLUSH_AT) this.flush(family);
  }

  private flush(family: Family): void {
    if (family.parts.length === 0) return;
    if (!family.spill) {
      this.spillDir ??= mkdtempSync(path.join(path.dirname(path.resolve(this.outFile)), `.${path.basename(this.outFile)}.families-`));
      const file = path.join(this.spillDir, `${this.families.indexOf(family)}.om`);
      family.spill = { file, fd: openSync(file, 'w') };
    }
    writeSync(family.spill.fd, family.parts.join(''));
    family.parts = [];
    family.buffered = 0;
  }

  private cleanup(): void {
    for (const family of this.families) {
      if (family.spill) closeSync(family.spill.fd);
      family.spill = undefined;
      family.parts = [];
    }
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = undefined;
  }
}

function copyInto(out: number, file: string): number {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let total = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      let written = 0;
      while (written < n) written += writeSync(out, buffer, written, n - written);
      total += n;
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** Bucket bounds as OpenMetrics canonical numbers (`1.0`, not `1`), which is how Prometheus stores `le`. */
export function formatLe(bound: number): string {
  if (bound === Infinity) return '+Inf';
  return Number.isInteger(bound) && Math.abs(bound) < 1e21 ? `${bound}.0` : String(bound);
}

export function escapeLabel(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** The target labels Prometheus adds to a controller's series. */
export function targetLabels(job: string, instance: string): string {
  return `job="${escapeLabel(job)}",instance="${escapeLabel(instance)}"`;
}

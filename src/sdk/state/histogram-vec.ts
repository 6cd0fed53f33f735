import { ROOT_CONTEXT, trace, type Histogram, type Span } from '@opentelemetry/api';
import type { MetricSpec } from '../../schema/metrics';
import { EnumSeries, type InstanceLabels } from './enum-series';

export interface HistogramCell {
  /** counts[i] observations ≤ boundaries[i]; the last cell is the +Inf bucket. */
  readonly counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** Explicit-bucket histograms per enum series, aggregated as values arrive. */
export class HistogramVec {
  readonly series: EnumSeries;
  readonly boundaries: readonly number[];
  readonly cells: (HistogramCell | undefined)[];
  /** A synchronous instrument on a meter the controller owns, fed the same values. */
  mirror: Histogram | undefined;

  constructor(spec: MetricSpec, instance: InstanceLabels) {
    if (!spec.buckets) throw new Error(`${spec.name} has no buckets`);
    this.series = new EnumSeries(spec, instance);
    this.boundaries = spec.buckets;
    this.cells = new Array(this.series.size);
  }

  /** `span`: the move or plan the value belongs to, so a mirrored record can carry it as exemplar context. */
  record(index: number, value: number, span?: Span): void {
    let cell = this.cells[index];
    if (!cell) {
      cell = { counts: new Array(this.boundaries.length + 1).fill(0), sum: 0, count: 0, min: Infinity, max: -Infinity };
      this.cells[index] = cell;
    }
    cell.counts[bucketOf(this.boundaries, value)]++;
    cell.sum += value;
    cell.count++;
    if (value < cell.min) cell.min = value;
    if (value > cell.max) cell.max = value;
    if (this.mirror) this.mirror.record(value, this.series.attributes(index), span ? trace.setSpan(ROOT_CONTEXT, span) : ROOT_CONTEXT);
  }
}

/** Index of the first boundary ≥ value (Prometheus `le` semantics), by binary search. */
export function bucketOf(boundaries: readonly number[], value: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

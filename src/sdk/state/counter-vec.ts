import type { MetricSpec } from '../../schema/metrics';
import { EnumSeries, type InstanceLabels } from './enum-series';

/** Monotonic counts per enum series, in a flat array the hooks index directly. */
export class CounterVec {
  readonly series: EnumSeries;
  readonly values: Float64Array;
  /** Which series have been reported; all of them for pre-initialised counters. */
  readonly live: Uint8Array;

  constructor(spec: MetricSpec, instance: InstanceLabels) {
    this.series = new EnumSeries(spec, instance);
    this.values = new Float64Array(this.series.size);
    this.live = new Uint8Array(this.series.size).fill(spec.preinitialized ? 1 : 0);
  }

  add(index: number, amount = 1): void {
    this.values[index] += amount;
    this.live[index] = 1;
  }
}

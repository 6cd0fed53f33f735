import type { Attributes } from '@opentelemetry/api';
import type { LabelSpec } from '../../schema/labels';
import type { MetricSpec } from '../../schema/metrics';

/** Values of the labels fixed for one telemetry instance. */
export type InstanceLabels = Readonly<Record<'namespace' | 'cluster' | 'controller', string>>;

/**
 * The series of a metric whose labels are instance labels and enums: series `i` is the mixed-radix
 * number of its enum positions, in label order. Attribute objects are built once and reused.
 */
export class EnumSeries {
  readonly size: number;
  private readonly enumLabels: readonly LabelSpec[];
  private readonly fixed: Attributes;
  private readonly cache: Attributes[] = [];

  constructor(readonly spec: MetricSpec, instance: InstanceLabels) {
    this.enumLabels = spec.labels.filter((l) => l.domain.kind === 'enum');
    const fixed: Record<string, string> = {};
    for (const label of spec.labels) {
      if (label.domain.kind === 'instance') fixed[label.name] = instance[label.name as keyof InstanceLabels];
      else if (label.domain.kind === 'id') throw new Error(`${spec.name}: id labels are not enum series`);
    }
    this.fixed = fixed;
    this.size = this.enumLabels.reduce((n, l) => n * enumValues(l).length, 1);
  }

  attributes(index: number): Attributes {
    let attrs = this.cache[index];
    if (!attrs) {
      const positions: number[] = [];
      let rest = index;
      for (let k = this.enumLabels.length - 1; k >= 0; k--) {
        const size = enumValues(this.enumLabels[k]).length;
        positions[k] = rest % size;
        rest = Math.floor(rest / size);
      }
      const out: Record<string, string> = { ...(this.fixed as Record<string, string>) };
      this.enumLabels.forEach((label, k) => (out[label.name] = enumValues(label)[positions[k]]));
      attrs = Object.freeze(out);
      this.cache[index] = attrs;
    }
    return attrs;
  }
}

function enumValues(label: LabelSpec): readonly string[] {
  return label.domain.kind === 'enum' ? label.domain.values : [];
}

import { renderMetricsReference } from './metrics-reference';

/** Every generated file: path relative to the repository root → its content. */
export function generatedArtifacts(): Record<string, string> {
  return {
    'docs/reference/metrics.md': renderMetricsReference(),
  };
}

/**
 * The opt-in rule group that serves the discovery draft's series names (src/schema/draft-aliases.ts)
 * from ours: one recording rule per series, the source selected as it is, so every label (namespace,
 * cluster, state, outcome, decision, `le`, job, instance) carries over and a histogram's buckets,
 * sum and count are all there. A site that wants the names loads the file; nothing else reads it.
 */
import { stringify } from 'yaml';
import { DRAFT_ALIASES, draftSource, type MetricSpec } from '../schema';
import { alertingConfig, type AlertingOverrides } from './config';
import { RuleContext } from './promql';
import type { RecordingRule } from './recording-rules';

export const DRAFT_ALIASES_FILE = 'alerting/draft-aliases/mesh-rebalance-draft-aliases.rules.yml';
export const DRAFT_ALIASES_GROUP = 'mesh-rebalance.draft-aliases';

/** The series one metric is scraped as: a histogram's `_bucket`, `_sum` and `_count`, or the name itself. */
export function seriesSuffixes(metric: Pick<MetricSpec, 'kind'>): readonly string[] {
  return metric.kind === 'histogram' ? ['_bucket', '_sum', '_count'] : [''];
}

/** Alias series name → the series it is recorded from, in schema order. */
export function draftAliasSeries(): { alias: string; source: string }[] {
  return DRAFT_ALIASES.flatMap((a) => seriesSuffixes(draftSource(a)).map((s) => ({ alias: `${a.name}${s}`, source: `${draftSource(a).name}${s}` })));
}

export function draftAliasRules(config?: AlertingOverrides): RecordingRule[] {
  const ctx = new RuleContext(alertingConfig(config));
  return DRAFT_ALIASES.flatMap((a) => {
    const source = draftSource(a);
    return seriesSuffixes(source).map((s) => ({ record: `${a.name}${s}`, expr: ctx.sel({ ...source, name: `${source.name}${s}` }) }));
  });
}

export function renderDraftAliasRules(version: string, options: { config?: AlertingOverrides; interval?: string } = {}): string {
  const group = { name: DRAFT_ALIASES_GROUP, ...(options.interval ? { interval: options.interval } : {}), rules: draftAliasRules(options.config) };
  return [
    '# Generated from src/schema/draft-aliases.ts by `npm run generate`; do not edit.',
    `# Version ${version} (changelog and upgrade notes: alerting/CHANGELOG.md).`,
    '# Opt in: the discovery draft names recorded from ours; add this file to rule_files to serve them',
    '# (cost and name table: docs/reference/draft-aliases.md).',
    stringify({ groups: [group] }, { lineWidth: 0 }),
  ].join('\n');
}

/** docs/reference/draft-aliases.md: the discovery draft's names, ours, why, and what serving them costs. */
import { DRAFT_ALIASES_FILE, seriesSuffixes } from '../alerting/draft-aliases';
import { DRAFT_ALIASES, draftSource } from '../schema/draft-aliases';
import { seriesBudget } from '../schema/budget';
import { DEFAULT_LIMITS } from '../schema/limits';
import type { MetricSpec } from '../schema/metrics';
import { cell, code, table } from './markdown';

export const DRAFT_ALIASES_REFERENCE_FILE = 'docs/reference/draft-aliases.md';

/** Series one controller process exports for the metric (a histogram: each bucket, `+Inf`, sum and count per label set). */
export function seriesPerProcess(metric: MetricSpec): number {
  const labelSets = seriesBudget(metric, DEFAULT_LIMITS);
  return metric.kind === 'histogram' ? labelSets * ((metric.buckets?.length ?? 0) + 1 + 2) : labelSets;
}

/** The longest start every name shares, up to its last `_`. */
function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('_') + 1);
}

export function renderDraftAliasesReference(): string {
  const rows = DRAFT_ALIASES.map((a) => {
    const m = draftSource(a);
    const names = seriesSuffixes(m).map((s) => code(`${a.name}${s}`)).join('<br>');
    const ours = seriesSuffixes(m).map((s) => code(`${m.name}${s}`)).join('<br>');
    return [names, ours, cell(a.why), String(seriesPerProcess(m))];
  });
  const histogram = DRAFT_ALIASES.find((a) => draftSource(a).kind === 'histogram')!;
  const draftPrefix = commonPrefix(DRAFT_ALIASES.map((a) => a.name));
  const total = DRAFT_ALIASES.reduce((sum, a) => sum + seriesPerProcess(draftSource(a)), 0);
  return [
    '<!-- Generated from src/schema/draft-aliases.ts by `npm run generate`; do not edit. -->',
    '# Draft names (DISC-006) and ours',
    '',
    `The discovery draft DISC-006 named four rebalancer series ${code(`${draftPrefix}*`)}; the SDK exports`,
    '`meshkit_rebalance_*` (the names WORK-012 settled). Panels and alerts written against the draft keep',
    `working with the opt-in rule group ${code(DRAFT_ALIASES_FILE)}: it records each draft name from our`,
    'series, keeping every label (namespace, cluster, the enum labels, job, instance and, for the histogram,',
    `\`le\`), so \`histogram_quantile\` over ${code(`${histogram.name}_bucket`)} gives the answer it gives`,
    'over ours.',
    '',
    ...table(['draft name', 'our name', 'why ours', 'extra series per controller process'], rows),
    '',
    '## Turning it on',
    '',
    `Copy ${code(DRAFT_ALIASES_FILE)} next to the shipped rule file and add it to \`rule_files\`; remove it`,
    'to turn the names off again (Prometheus ends their series at that reload). Nothing else reads',
    'the aliases: our dashboards and alerts keep reading our names.',
    '',
    '## What it costs',
    '',
    `${total} extra series per controller process that exports the four metrics (leader and standby`,
    'both do), one sample each per rule evaluation: for a namespace/cluster with a leader and a standby,',
    `${2 * total} series. Every alias is a recording rule, so it holds the value our series had at the last`,
    'rule evaluation: between evaluations it can lag ours by up to one evaluation interval, and at each',
    'evaluation it equals ours (the promtool tests in `alerting/draft-aliases/tests.yml` prove it per',
    'series).',
    '',
  ].join('\n');
}

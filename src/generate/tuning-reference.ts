/**
 * docs/operator-guide/alert-thresholds.md: every knob of `AlertingConfig` with its default and the
 * tuning guidance written on the field in src/alerting/config.ts (read with the TypeScript parser,
 * so the guidance is written once, beside the code that uses it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { DEFAULT_ALERTING_CONFIG, type AlertName, type AlertingConfig } from '../alerting';
import { cell, code, table } from './markdown';

export const TUNING_REFERENCE_FILE = 'docs/operator-guide/alert-thresholds.md';
const CONFIG_SOURCE = 'src/alerting/config.ts';

/** What each section of the configuration changes. */
const SECTION_USE: Readonly<Record<keyof AlertingConfig, { alerts?: readonly AlertName[]; use?: string }>> = {
  selector: { use: 'every rule' },
  jobLabel: { use: 'every rule' },
  instanceLabel: { use: 'every rule' },
  runbookBaseUrl: { use: '`runbook_url` annotations' },
  dashboardBaseUrl: { use: '`dashboard_url` annotations' },
  dashboardSlug: { use: '`dashboard_url` annotations' },
  planStuck: { alerts: ['MeshKitRebalancePlanStuck'] },
  approvalBacklog: { alerts: ['MeshKitRebalanceApprovalBacklog'] },
  excessiveConcurrentMoves: { alerts: ['MeshKitRebalanceExcessiveConcurrentMoves'] },
  movesAboveLoweredLimit: { alerts: ['MeshKitRebalanceMovesAboveLoweredLimit'] },
  planOverrun: { alerts: ['MeshKitRebalancePlanOverrun'] },
  shardFlapping: { alerts: ['MeshKitRebalanceShardFlapping'] },
  repeatedFailures: { alerts: ['MeshKitRebalanceRepeatedFailures'] },
  planFailed: { alerts: ['MeshKitRebalancePlanFailed'] },
  heartbeat: { alerts: ['MeshKitRebalanceControllerHeartbeatMissing', 'MeshKitRebalanceStandbyHeartbeatMissing'] },
  noLeader: { alerts: ['MeshKitRebalanceNoLeader'] },
  policyViolation: { alerts: ['MeshKitRebalancePolicyViolation'] },
  telemetryRejected: { alerts: ['MeshKitRebalanceTelemetryRejected'] },
  recording: { use: 'recording rules (executive dashboard)' },
  alertmanager: { use: 'alerting/alertmanager/alertmanager.yml' },
};

/** Fields whose alerts differ from their section's. */
const FIELD_ALERTS: Readonly<Record<string, readonly AlertName[]>> = {
  'heartbeat.vanishedLookback': ['MeshKitRebalanceControllerHeartbeatMissing'],
  'heartbeat.vanishedFor': ['MeshKitRebalanceControllerHeartbeatMissing'],
};

/** Guidance for fields whose declaration carries only a default. */
const FALLBACK_DOC: Readonly<Record<string, string>> = {
  for: 'How long the condition must hold before the alert fires (the rule\'s `for`).',
  groupWait: 'Alertmanager `group_wait`: how long a new group waits for more alerts before the first notification.',
  groupInterval: 'Alertmanager `group_interval`: how long before a group that changed is notified again.',
};

interface Field {
  path: string[];
  doc: string;
  see?: string;
}

function jsDocOf(node: ts.Node): { doc: string; see?: string } {
  const parts: string[] = [];
  let see: string | undefined;
  for (const d of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(d)) continue;
    const text = ts.getTextOfJSDocComment(d.comment);
    if (text) parts.push(text);
    for (const tag of d.tags ?? []) {
      if (tag.tagName.text === 'see' && ts.isJSDocSeeTag(tag)) see = tag.name?.name.getText() ?? ts.getTextOfJSDocComment(tag.comment);
    }
  }
  return { doc: parts.join(' ').replace(/\s+/g, ' ').trim(), see };
}

/** Leaf fields of `AlertingConfig`, in declaration order, with their doc comments. */
function configFields(root: string): Field[] {
  const file = path.join(root, CONFIG_SOURCE);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const iface = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'AlertingConfig');
  if (!iface) throw new Error(`interface AlertingConfig not found in ${CONFIG_SOURCE}`);
  const fields: Field[] = [];
  const visit = (members: ts.NodeArray<ts.TypeElement>, prefix: string[], inherited: string) => {
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !m.name) continue;
      const name = m.name.getText(source);
      const { doc, see } = jsDocOf(m);
      if (m.type && ts.isTypeLiteralNode(m.type)) visit(m.type.members, [...prefix, name], doc);
      else fields.push({ path: [...prefix, name], doc: doc || inherited, see });
    }
  };
  visit(iface.members, [], '');
  return fields;
}

/** `section.field` → its guidance, `@default` dropped: the descriptions of the site configuration schema. */
export function configFieldDocs(root: string): Map<string, string> {
  return new Map(
    configFields(root)
      .map((f) => [f.path.join('.'), (f.doc || FALLBACK_DOC[f.path[f.path.length - 1]!] || '').replace(/@default.*$/, '').trim()] as [string, string])
      .filter(([, doc]) => doc !== ''),
  );
}

function valueAt(config: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], config);
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => code(String(v))).join(', ');
  if (value && typeof value === 'object') return Object.keys(value).length ? code(JSON.stringify(value)) : code('{}');
  return code(typeof value === 'string' ? `'${value}'` : String(value));
}

export function renderTuningReference(root: string): string {
  const fields = configFields(root);
  const documented = new Set(fields.map((f) => f.path[0]));
  const missing = Object.keys(DEFAULT_ALERTING_CONFIG).filter((k) => !documented.has(k));
  if (missing.length) throw new Error(`AlertingConfig fields without a declaration: ${missing.join(', ')}`);
  const rows = fields.map((f) => {
    const section = SECTION_USE[f.path[0] as keyof AlertingConfig];
    const alerts = FIELD_ALERTS[f.path.join('.')] ?? section.alerts;
    const affects = alerts ? alerts.map((a) => `[${a.replace(/^MeshKitRebalance/, '')}](../runbooks/${a}.md)`).join(', ') : section.use ?? '';
    const doc = f.doc || FALLBACK_DOC[f.path[f.path.length - 1]!] || '';
    const guidance = f.see ? `${doc ? `${doc} ` : ''}See ${code(f.see)}.` : doc;
    return [code(f.path.join('.')), formatValue(valueAt(DEFAULT_ALERTING_CONFIG, f.path)), cell(affects), cell(guidance.replace(/@default.*$/, '').trim())];
  });
  return [
    `<!-- Generated from ${CONFIG_SOURCE} by \`npm run generate\`; do not edit. -->`,
    '# Alert thresholds and knobs',
    '',
    `Every field of ${code('AlertingConfig')} (${code(CONFIG_SOURCE)}), its default and the guidance written on it.`,
    'How to change one for your site: [write a site.yaml](tuning.md).',
    '',
    ...table(['field', 'default', 'affects', 'guidance'], rows),
    '',
  ].join('\n');
}

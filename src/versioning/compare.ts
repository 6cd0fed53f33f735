/**
 * The changes between two prints of a dashboard or rule file, in words, each with the version bump it
 * needs: removing or re-purposing what others link to or match on is major, adding is minor, anything
 * else is a patch. `mention` is what the changelog entry must name.
 */
import type { BumpLevel } from './semver';
import type { DashboardPrint, PanelPrint, Print, RulePrint, RulesPrint } from './fingerprint';

/** What a change is about, for grouping it in a review. */
export type Area = 'panel' | 'query' | 'variable' | 'link' | 'settings' | 'alert' | 'record';

export interface Change {
  level: BumpLevel;
  area: Area;
  /** What a changelog entry names for this change (`panel 4`, `alert MeshKitRebalanceNoLeader`); none for a patch. */
  mention?: string;
  text: string;
}

const q = (s: string) => `"${s}"`;
const list = (items: readonly string[]) => items.map((i) => `\`${i}\``).join(', ');

function keyed<T>(a: Record<string, T>, b: Record<string, T>) {
  const removed = Object.keys(a).filter((k) => !(k in b));
  const added = Object.keys(b).filter((k) => !(k in a));
  const kept = Object.keys(b).filter((k) => k in a);
  return { removed, added, kept };
}

const byNumber = (x: string, y: string) => Number(x) - Number(y) || (x < y ? -1 : x > y ? 1 : 0);

function panelChanges(id: string, a: PanelPrint, b: PanelPrint): Change[] {
  const mention = `panel ${id}`;
  const name = `panel ${id} ${q(b.title)}`;
  const out: Change[] = [];
  if (a.type !== b.type) out.push({ level: 'major', area: 'panel', mention, text: `${name} is now a ${b.type} (was a ${a.type})` });
  if (a.title !== b.title) out.push({ level: 'major', area: 'panel', mention, text: `${name} was titled ${q(a.title)}` });
  if (a.unit !== b.unit) out.push({ level: 'major', area: 'panel', mention, text: `${name} shows its values in ${q(b.unit)} (was ${q(a.unit)})` });
  const dropped = a.series.filter((s) => !b.series.includes(s));
  const gained = b.series.filter((s) => !a.series.includes(s));
  if (dropped.length) out.push({ level: 'major', area: 'panel', mention, text: `${name} no longer reads ${list(dropped)}` });
  if (gained.length) out.push({ level: 'minor', area: 'panel', mention, text: `${name} now also reads ${list(gained)}` });
  const qa = Object.fromEntries(a.queries.map((x) => [x.refId, x]));
  const qb = Object.fromEntries(b.queries.map((x) => [x.refId, x]));
  const queries = keyed(qa, qb);
  for (const r of queries.removed) out.push({ level: 'minor', area: 'query', mention, text: `${name}: query ${r} was removed (\`${qa[r]!.expr}\`)` });
  for (const r of queries.added) out.push({ level: 'minor', area: 'query', mention, text: `${name}: query ${r} was added: \`${qb[r]!.expr}\`` });
  for (const r of queries.kept) {
    if (qa[r]!.expr !== qb[r]!.expr) out.push({ level: 'minor', area: 'query', mention, text: `${name}: query ${r} changed from \`${qa[r]!.expr}\` to \`${qb[r]!.expr}\`` });
    if ((qa[r]!.legend ?? '') !== (qb[r]!.legend ?? '')) out.push({ level: 'minor', area: 'query', mention, text: `${name}: query ${r} is labelled ${q(qb[r]!.legend ?? '')} (was ${q(qa[r]!.legend ?? '')})` });
  }
  const linksGone = a.dataLinks.filter((l) => !b.dataLinks.includes(l));
  const linksNew = b.dataLinks.filter((l) => !a.dataLinks.includes(l));
  if (linksGone.length) out.push({ level: 'minor', area: 'link', mention, text: `${name} lost its data link${linksGone.length > 1 ? 's' : ''} ${linksGone.map(q).join(', ')}` });
  if (linksNew.length) out.push({ level: 'minor', area: 'link', mention, text: `${name} gained the data link${linksNew.length > 1 ? 's' : ''} ${linksNew.map(q).join(', ')}` });
  const fields = [...new Set([...Object.keys(a.other), ...Object.keys(b.other)])].filter((k) => a.other[k] !== b.other[k]).sort();
  if (fields.length) out.push({ level: 'patch', area: 'panel', text: `${name}: ${fields.join(', ')} changed (layout, style or text)` });
  return out;
}

export function dashboardChanges(a: DashboardPrint, b: DashboardPrint): Change[] {
  const out: Change[] = [];
  if (a.uid !== b.uid) out.push({ level: 'major', area: 'settings', mention: 'uid', text: `the dashboard uid is ${q(b.uid)} (was ${q(a.uid)}): every link and alert to the old uid breaks` });
  if (a.title !== b.title) out.push({ level: 'minor', area: 'settings', mention: 'title', text: `the dashboard is titled ${q(b.title)} (was ${q(a.title)})` });
  const panels = keyed(a.panels, b.panels);
  // A panel that left one id and reappears under another with the same title and type was renumbered.
  const renumbered = new Map<string, string>();
  for (const id of panels.removed) {
    const to = panels.added.find((n) => !renumbered.has(n) && b.panels[n]!.title === a.panels[id]!.title && b.panels[n]!.type === a.panels[id]!.type);
    if (to) renumbered.set(to, id);
  }
  const moved = new Set(renumbered.values());
  for (const [to, from] of renumbered) {
    out.push({ level: 'major', area: 'panel', mention: `panel ${from}`, text: `panel ${from} ${q(a.panels[from]!.title)} was renumbered to ${to}: links and alerts opening viewPanel=${from} no longer find it` });
    out.push(...panelChanges(to, a.panels[from]!, b.panels[to]!).filter((c) => c.level !== 'patch'));
  }
  for (const id of panels.removed.filter((i) => !moved.has(i)).sort(byNumber)) out.push({ level: 'major', area: 'panel', mention: `panel ${id}`, text: `panel ${id} ${q(a.panels[id]!.title)} (${a.panels[id]!.type}) was removed` });
  for (const id of panels.added.filter((i) => !renumbered.has(i)).sort(byNumber)) {
    const p = b.panels[id]!;
    out.push({ level: 'minor', area: 'panel', mention: `panel ${id}`, text: `panel ${id} ${q(p.title)} (${p.type}) was added${p.series.length ? `, reading ${list(p.series)}` : ''}` });
  }
  for (const id of panels.kept.sort(byNumber)) out.push(...panelChanges(id, a.panels[id]!, b.panels[id]!));
  const vars = keyed(a.variables, b.variables);
  for (const v of vars.removed) out.push({ level: 'major', area: 'variable', mention: `variable $${v}`, text: `variable $${v} was removed: links that set var-${v} no longer filter` });
  for (const v of vars.added) out.push({ level: 'minor', area: 'variable', mention: `variable $${v}`, text: `variable $${v} (${b.variables[v]!.type}) was added${b.variables[v]!.query ? `: \`${b.variables[v]!.query}\`` : ''}` });
  for (const v of vars.kept) {
    const [x, y] = [a.variables[v]!, b.variables[v]!];
    if (x.type !== y.type || x.query !== y.query) out.push({ level: 'minor', area: 'variable', mention: `variable $${v}`, text: `variable $${v} changed from \`${x.query}\` to \`${y.query}\`` });
    else if (x.other !== y.other) out.push({ level: 'patch', area: 'variable', text: `variable $${v}: its options changed` });
  }
  const links = keyed(a.links, b.links);
  for (const l of links.removed) out.push({ level: 'minor', area: 'link', mention: `link ${q(l)}`, text: `link ${q(l)} (${a.links[l]}) was removed` });
  for (const l of links.added) out.push({ level: 'minor', area: 'link', mention: `link ${q(l)}`, text: `link ${q(l)} to ${b.links[l]} was added` });
  for (const l of links.kept) if (a.links[l] !== b.links[l]) out.push({ level: 'minor', area: 'link', mention: `link ${q(l)}`, text: `link ${q(l)} points to ${b.links[l]} (was ${a.links[l]})` });
  const fields = [...new Set([...Object.keys(a.other), ...Object.keys(b.other)])].filter((k) => a.other[k] !== b.other[k]).sort();
  if (fields.length) out.push({ level: 'patch', area: 'settings', text: `dashboard settings changed: ${fields.join(', ')}` });
  return out;
}

function ruleChanges(kind: 'alert' | 'record', name: string, a: RulePrint, b: RulePrint): Change[] {
  const mention = `${kind} ${name}`;
  const out: Change[] = [];
  if (a.exprs.join('\n') !== b.exprs.join('\n')) out.push({ level: 'minor', area: kind, mention, text: `${mention}: its expression changed` });
  if (a.for.join() !== b.for.join()) out.push({ level: 'minor', area: kind, mention, text: `${mention}: \`for\` is ${b.for.join(', ')} (was ${a.for.join(', ')})` });
  // Routes, inhibitions and silences match on labels: a changed label moves or unsilences the alert.
  if (a.labels.join() !== b.labels.join()) out.push({ level: 'major', area: kind, mention, text: `${mention}: labels are ${b.labels.join(', ') || 'none'} (were ${a.labels.join(', ') || 'none'}); routes and silences matching the old ones miss it` });
  if (a.annotations !== b.annotations) out.push({ level: 'patch', area: kind, text: `${mention}: summary, description or links changed` });
  return out;
}

export function rulesChanges(a: RulesPrint, b: RulesPrint): Change[] {
  const out: Change[] = [];
  for (const [kind, x, y] of [['alert', a.alerts, b.alerts], ['record', a.records, b.records]] as const) {
    const k = keyed(x, y);
    const what = kind === 'alert' ? 'silences, routes and inhibitions naming it match nothing' : 'dashboards and rules reading it go empty';
    for (const n of k.removed) out.push({ level: 'major', area: kind, mention: `${kind} ${n}`, text: `${kind} ${n} was removed: ${what}` });
    for (const n of k.added) out.push({ level: 'minor', area: kind, mention: `${kind} ${n}`, text: `${kind} ${n} was added` });
    for (const n of k.kept) out.push(...ruleChanges(kind, n, x[n]!, y[n]!));
  }
  if (a.groups.join() !== b.groups.join()) out.push({ level: 'patch', area: 'settings', text: `rule groups are ${b.groups.join(', ')} (were ${a.groups.join(', ')})` });
  return out;
}

export function changes(a: Print, b: Print): Change[] {
  if (a.kind === 'dashboard' && b.kind === 'dashboard') return dashboardChanges(a, b);
  if (a.kind === 'rules' && b.kind === 'rules') return rulesChanges(a, b);
  throw new Error(`cannot compare a ${a.kind} print with a ${b.kind} print`);
}

/** `meshkit-rebalance-obs dashboards diff OLD.json NEW.json`: what changed between two dashboard files, in words. */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from '../cli/command';
import { UserError } from '../cli/user-error';
import { dashboardChanges, type Area, type Change } from '../versioning/compare';
import { dashboardPrint } from '../versioning/fingerprint';
import { atLeast, bump, bumpLevel, highest } from '../versioning/semver';
import { stampedVersion, unstampDashboard } from '../versioning/stamp';

const USAGE = `usage: meshkit-rebalance-obs dashboards diff OLD.json NEW.json

Prints, in words, the panels, queries, variables and links that changed between two Grafana
dashboard JSON files (for example the shipped file before and after a change, or the copy a site
runs and the new release), and the version bump the changes need. Output is Markdown, to paste into
a review.`;

type Json = Record<string, unknown>;

function readDashboard(file: string): Json {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UserError(`${file} is not a file.`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not JSON (${(error as Error).message}).`);
  }
  const dashboard = value as Json;
  // A dashboard as exported with "Export for sharing externally" or from the API wraps it.
  const inner = dashboard && typeof dashboard === 'object' && 'dashboard' in dashboard ? (dashboard.dashboard as Json) : dashboard;
  if (!inner || typeof inner !== 'object' || !Array.isArray(inner.panels)) throw new UserError(`${file} is not a Grafana dashboard (no "panels" list).`);
  return inner;
}

const SECTIONS: readonly [Area, string][] = [
  ['panel', 'Panels'],
  ['query', 'Queries'],
  ['variable', 'Variables'],
  ['link', 'Links'],
  ['settings', 'Dashboard settings'],
];

/** The review text for two dashboards. */
export function describeDiff(oldDashboard: Json, newDashboard: Json, names: { old: string; new: string }): string {
  const list = dashboardChanges(dashboardPrint(oldDashboard, unstampDashboard), dashboardPrint(newDashboard, unstampDashboard));
  const [from, to] = [stampedVersion(oldDashboard), stampedVersion(newDashboard)];
  const title = String(newDashboard.title ?? newDashboard.uid ?? names.new);
  const lines = [`## Dashboard "${title}": ${names.old} → ${names.new}${from || to ? ` (version ${from ?? 'none'} → ${to ?? 'none'})` : ''}`, ''];
  if (!list.length) return [...lines, 'No change to panels, queries, variables, links or settings.', ''].join('\n');
  for (const [area, heading] of SECTIONS) {
    const inArea = list.filter((c) => c.area === area);
    if (inArea.length) lines.push(`### ${heading}`, '', ...inArea.map((c: Change) => `- ${c.text} (${c.level})`), '');
  }
  const required = highest(list.map((c) => c.level))!;
  const needs = `These changes need a ${required} version bump`;
  if (from && to) {
    const actual = bumpLevel(from, to);
    lines.push(actual && atLeast(actual, required) ? `${needs}; ${from} → ${to} is one.` : `${needs} (${bump(from, required)}); ${from} → ${to} ${actual ? `is only a ${actual} bump` : 'is none'}.`);
  } else {
    lines.push(`${needs}.`);
  }
  return `${lines.join('\n')}\n`;
}

export const dashboardsCommand: Command = {
  summary: 'compare two dashboard JSON files (dashboards diff OLD.json NEW.json)',
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const [sub, ...rest] = args;
    if (sub !== 'diff') throw new UserError(sub ? `unknown dashboards command "${sub}"; the only one is "diff OLD.json NEW.json".` : 'dashboards needs a command: "diff OLD.json NEW.json".');
    const option = rest.find((a) => a.startsWith('-'));
    if (option) throw new UserError(`unknown option ${option} for dashboards diff; it takes two files.`);
    if (rest.length !== 2) throw new UserError(`dashboards diff takes two dashboard files, OLD.json and NEW.json; got ${rest.length}.`);
    const [oldFile, newFile] = rest as [string, string];
    process.stdout.write(describeDiff(readDashboard(oldFile), readDashboard(newFile), { old: oldFile, new: newFile }));
    return 0;
  },
};

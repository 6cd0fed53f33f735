/**
 * Whether each artifact's version and changelog cover what changed: the current print against the
 * recorded print of its version, and every recorded version against the one before it. Problems are
 * sentences that say what to bump and what to write.
 */
import { CHANGELOG, type ChangelogEntry, type VersionedKey } from './changelog';
import { changes, type Change } from './compare';
import type { Print } from './fingerprint';
import type { Lock } from './lock';
import { sortedVersions } from './lock';
import { atLeast, bump, bumpLevel, compareVersions, highest, parseVersion } from './semver';

const SOURCE = 'src/versioning/changelog.ts';

export interface CheckInput {
  key: VersionedKey;
  title: string;
  print: Print;
  lock: Lock;
  changelog?: readonly ChangelogEntry[];
}

const mentioned = (entry: ChangelogEntry, mention: string) => {
  const text = [...entry.changes, ...(entry.upgrade ?? [])].join('\n');
  return new RegExp(`(^|[^\\w$])${mention.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`).test(text);
};

const bullet = (list: readonly Change[]) => list.map((c) => `  - ${c.text} (${c.level})`).join('\n');
const mentions = (list: readonly Change[]) => [...new Set(list.flatMap((c) => (c.mention ? [c.mention] : [])))];

export function versionProblems(input: CheckInput): string[] {
  const changelog = input.changelog ?? CHANGELOG[input.key];
  const problems: string[] = [];
  const versions = changelog.map((e) => e.version);
  for (const v of versions) {
    try {
      parseVersion(v);
    } catch (error) {
      problems.push(`${input.title}: ${(error as Error).message} in ${SOURCE}.`);
      return problems;
    }
  }
  versions.forEach((v, i) => {
    if (i > 0 && compareVersions(versions[i - 1]!, v) <= 0) problems.push(`${input.title}: changelog entries in ${SOURCE} must go newest first with rising versions (${versions[i - 1]} is listed before ${v}).`);
  });
  for (const e of changelog) if (!e.changes.length || !/^\d{4}-\d{2}-\d{2}$/.test(e.date)) problems.push(`${input.title} ${e.version}: the changelog entry needs a date (YYYY-MM-DD) and at least one change.`);

  const recorded = input.lock[input.key] ?? {};
  const current = versions[0]!;
  const base = recorded[current];
  if (!base) {
    problems.push(`${input.title} ${current} has no recorded print: run \`npm run generate\` (it records the new version in the lock file).`);
  } else {
    const diff = changes(base, input.print);
    const required = highest(diff.map((c) => c.level));
    if (required) {
      const next = bump(current, required);
      const names = mentions(diff);
      problems.push(
        [
          `${input.title} changed since version ${current} was recorded:`,
          bullet(diff),
          `Add an entry for ${next} (a ${required} bump) on top of CHANGELOG.${input.key} in ${SOURCE}` +
            (names.length ? ` whose lines name ${names.join(', ')}` : '') +
            (required === 'major' ? ', with `upgrade` notes for operators' : '') +
            ', then run `npm run generate`.',
        ].join('\n'),
      );
    }
  }

  const history = sortedVersions(recorded);
  for (const v of history) if (!versions.includes(v)) problems.push(`${input.title} ${v} is recorded in the lock file but has no changelog entry in ${SOURCE}.`);
  for (let i = 1; i < history.length; i++) {
    const [from, to] = [history[i - 1]!, history[i]!];
    const entry = changelog.find((e) => e.version === to);
    if (!entry) continue;
    const diff = changes(recorded[from]!, recorded[to]!);
    const required = highest(diff.map((c) => c.level));
    const actual = bumpLevel(from, to)!;
    if (required && !atLeast(actual, required)) {
      problems.push(`${input.title} ${from} → ${to} is a ${actual} bump, but these changes need a ${required} bump (${bump(from, required)}):\n${bullet(diff.filter((c) => !atLeast(actual, c.level)))}`);
    }
    const missing = mentions(diff).filter((m) => !mentioned(entry, m));
    if (missing.length) problems.push(`${input.title} ${to}: the changelog entry in ${SOURCE} does not name ${missing.join(', ')}, which changed:\n${bullet(diff.filter((c) => c.mention && missing.includes(c.mention)))}`);
    if (actual === 'major' && !entry.upgrade?.length) problems.push(`${input.title} ${to} is a major version: its changelog entry needs \`upgrade\` notes (what operators do: links, silences, routes).`);
  }
  return problems;
}

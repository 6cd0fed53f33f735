/** dashboards/CHANGELOG.md and alerting/CHANGELOG.md, from src/versioning/changelog.ts. */
import { CHANGELOG, type VersionedKey } from './changelog';
import { versionedArtifacts } from './artifacts';

function section(key: VersionedKey, title: string, file: string): string[] {
  const lines = [`## ${title[0]!.toUpperCase()}${title.slice(1)} (\`${file}\`)`, ''];
  for (const e of CHANGELOG[key]) {
    lines.push(`### ${e.version} (${e.date})`, '', ...e.changes.map((c) => `- ${c}`), '');
    if (e.upgrade?.length) lines.push('Upgrade notes:', '', ...e.upgrade.map((u) => `- ${u}`), '');
  }
  return lines;
}

export function renderChangelogs(): Record<string, string> {
  const byFile = new Map<string, string[]>();
  for (const a of versionedArtifacts()) {
    const lines = byFile.get(a.changelogFile) ?? [
      '# Changelog',
      '',
      'Generated from `src/versioning/changelog.ts` by `npm run generate`; do not edit. How versions bump and',
      'how to upgrade: [Versioning and upgrading dashboards and rules](' +
        '../docs/operator-guide/dashboards-and-rules.md#versioning-and-upgrading-dashboards-and-rules).',
      '',
    ];
    lines.push(...section(a.key, a.title, a.file));
    byFile.set(a.changelogFile, lines);
  }
  return Object.fromEntries([...byFile].map(([file, lines]) => [file, `${lines.join('\n').trimEnd()}\n`]));
}

/** The versioned artifacts: which file each is, where its recorded prints live, and its current print. */
import { parse } from 'yaml';
import { DRAFT_ALIASES_FILE, renderDraftAliasRules } from '../alerting/draft-aliases';
import { RULES_FILE, renderRules } from '../alerting/render';
import { DASHBOARD_FILES, dashboards } from '../dashboards/render';
import { currentVersion, type VersionedKey } from './changelog';
import { dashboardPrint, rulesPrint, type Print } from './fingerprint';
import { DASHBOARD_CHANGELOG_FILE, unstampDashboard } from './stamp';

export const RULES_CHANGELOG_FILE = 'alerting/CHANGELOG.md';

export interface VersionedArtifact {
  key: VersionedKey;
  title: string;
  file: string;
  /** Where the print of every released version is kept (append-only, written by `npm run generate`). */
  lockFile: string;
  changelogFile: string;
  print(): Print;
}

export const LOCK_FILES = { dashboards: 'dashboards/versions.lock.json', rules: 'alerting/versions.lock.json' } as const;

export function versionedArtifacts(): VersionedArtifact[] {
  const dash = (key: 'exec' | 'oncall', title: string): VersionedArtifact => ({
    key,
    title,
    file: DASHBOARD_FILES[key],
    lockFile: LOCK_FILES.dashboards,
    changelogFile: DASHBOARD_CHANGELOG_FILE,
    print: () => dashboardPrint(dashboards()[key], unstampDashboard),
  });
  return [
    dash('exec', 'executive dashboard'),
    dash('oncall', 'on-call dashboard'),
    { key: 'rules', title: 'rule file', file: RULES_FILE, lockFile: LOCK_FILES.rules, changelogFile: RULES_CHANGELOG_FILE, print: () => rulesPrint(parse(renderRules())) },
    {
      key: 'draftAliases',
      title: 'draft-alias rule file',
      file: DRAFT_ALIASES_FILE,
      lockFile: LOCK_FILES.rules,
      changelogFile: RULES_CHANGELOG_FILE,
      print: () => rulesPrint(parse(renderDraftAliasRules(currentVersion('draftAliases')))),
    },
  ];
}

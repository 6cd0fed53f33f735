/**
 * The version history of every shipped dashboard and rule file: the one place a version is written.
 * The newest entry comes first and is the version stamped into the artifact; dashboards/CHANGELOG.md
 * and alerting/CHANGELOG.md are generated from here.
 *
 * To change an artifact: add an entry on top with the next version and one line per change, naming
 * each panel (`panel 702`), variable (`variable $namespace`), link, alert or recorded series it
 * touches. Added panels, queries, alerts: minor. Removed or re-purposed panels (title, type, unit,
 * a series no longer read), removed alerts or recorded series, changed alert labels: major, with
 * `upgrade` notes. Layout, colours and wording only: patch. `npm run generate`, then
 * `npx jest test/unit/versioning` says whether the bump and the entry cover the change.
 */

export interface ChangelogEntry {
  version: string;
  /** ISO date of the change. */
  date: string;
  changes: readonly string[];
  /** What an operator does when upgrading to this version (required for a major bump). */
  upgrade?: readonly string[];
}

export const VERSIONED = ['exec', 'oncall', 'rules', 'draftAliases'] as const;
export type VersionedKey = (typeof VERSIONED)[number];

export const CHANGELOG: Readonly<Record<VersionedKey, readonly ChangelogEntry[]>> = {
  exec: [
    {
      version: '1.0.0',
      date: '2026-12-03',
      changes: ['First versioned release: the health row (panels 101–106) and the plans row (panels 201–207); panel ids are stable from here on.'],
    },
  ],
  oncall: [
    {
      version: '1.0.0',
      date: '2026-12-03',
      changes: [
        'First versioned release. Panels 1–13 are the panels alerts open (`viewPanel=<id>` in every `dashboard_url`); the other panels take their row number plus one, two, …; ids are stable from here on.',
      ],
    },
  ],
  rules: [
    {
      version: '1.0.0',
      date: '2026-12-03',
      changes: ['First versioned release: 12 recorded series for the executive view and 13 alerts, each with a runbook and an on-call panel.'],
    },
  ],
  draftAliases: [
    {
      version: '1.0.0',
      date: '2026-12-03',
      changes: ['First release: the four series names of the discovery draft, recorded from ours (see docs/reference/draft-aliases.md).'],
    },
  ],
};

/** The version an artifact is at: its newest changelog entry's. */
export function currentVersion(key: VersionedKey): string {
  return CHANGELOG[key][0]!.version;
}

/** The version stamp a dashboard carries: a `v<version>` tag and a closing sentence of its description. */

export const DASHBOARD_CHANGELOG_FILE = 'dashboards/CHANGELOG.md';
const TAG = /^v\d+\.\d+\.\d+$/;
const SENTENCE = / Version \d+\.\d+\.\d+; changelog: [^ ]+\.$/;

interface Stampable {
  tags?: string[];
  description?: string;
}

export function stampDashboard<D extends Stampable>(dashboard: D, version: string): D {
  return {
    ...dashboard,
    tags: [...(dashboard.tags ?? []).filter((t) => !TAG.test(t)), `v${version}`],
    description: `${(dashboard.description ?? '').replace(SENTENCE, '')} Version ${version}; changelog: ${DASHBOARD_CHANGELOG_FILE}.`,
  };
}

export function unstampDashboard<D extends Stampable>(dashboard: D): D {
  return { ...dashboard, tags: (dashboard.tags ?? []).filter((t) => !TAG.test(t)), description: (dashboard.description ?? '').replace(SENTENCE, '') };
}

/** The version a dashboard JSON carries, if any. */
export function stampedVersion(dashboard: Stampable): string | undefined {
  return (dashboard.tags ?? []).find((t) => TAG.test(t))?.slice(1);
}

/** Semantic versions of the shipped dashboards and rule files: parsing, ordering, bump levels. */

export type BumpLevel = 'major' | 'minor' | 'patch';
export const BUMP_ORDER: readonly BumpLevel[] = ['patch', 'minor', 'major'];

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(text: string): Version {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a version (MAJOR.MINOR.PATCH)`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export const formatVersion = (v: Version): string => `${v.major}.${v.minor}.${v.patch}`;

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}

/** The level of the step from `from` to `to`; undefined when `to` is not later. */
export function bumpLevel(from: string, to: string): BumpLevel | undefined {
  if (compareVersions(to, from) <= 0) return undefined;
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (b.major !== a.major) return 'major';
  if (b.minor !== a.minor) return 'minor';
  return 'patch';
}

/** The version one `level` step after `from` (1.2.3 + minor = 1.3.0). */
export function bump(from: string, level: BumpLevel): string {
  const v = parseVersion(from);
  if (level === 'major') return formatVersion({ major: v.major + 1, minor: 0, patch: 0 });
  if (level === 'minor') return formatVersion({ major: v.major, minor: v.minor + 1, patch: 0 });
  return formatVersion({ ...v, patch: v.patch + 1 });
}

export const atLeast = (level: BumpLevel, required: BumpLevel): boolean => BUMP_ORDER.indexOf(level) >= BUMP_ORDER.indexOf(required);

export function highest(levels: readonly BumpLevel[]): BumpLevel | undefined {
  return levels.reduce<BumpLevel | undefined>((top, l) => (top === undefined || atLeast(l, top) ? l : top), undefined);
}

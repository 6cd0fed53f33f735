/**
 * The lock files: for each artifact, the print of every version it was released at. `npm run
 * generate` adds the current version's print when it is new and never rewrites a recorded one, so a
 * change without a version bump stays visible as a difference from the recorded print.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { VersionedKey } from './changelog';
import { currentVersion } from './changelog';
import type { Print } from './fingerprint';
import { compareVersions } from './semver';
import { versionedArtifacts } from './artifacts';

export type Lock = Partial<Record<VersionedKey, Record<string, Print>>>;

export function readLock(root: string, file: string): Lock {
  const full = path.join(root, file);
  return existsSync(full) ? (JSON.parse(readFileSync(full, 'utf8')) as Lock) : {};
}

const sortedVersions = (entries: Record<string, Print>) => Object.keys(entries).sort(compareVersions);

/** The lock files as `npm run generate` writes them: the recorded prints, plus the current version's when new. */
export function renderLocks(root: string): Record<string, string> {
  const out: Record<string, Lock> = {};
  for (const artifact of versionedArtifacts()) {
    const lock = (out[artifact.lockFile] ??= readLock(root, artifact.lockFile));
    const entries = { ...(lock[artifact.key] ?? {}) };
    const version = currentVersion(artifact.key);
    entries[version] ??= artifact.print();
    lock[artifact.key] = Object.fromEntries(sortedVersions(entries).map((v) => [v, entries[v]!]));
  }
  return Object.fromEntries(Object.entries(out).map(([file, lock]) => [file, `${JSON.stringify(lock, null, 1)}\n`]));
}

export { sortedVersions };

import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { pidAlive } from './processes';

/**
 * An exclusive lock file holding the owner's pid, so that two installs (two jest workers, two
 * terminals) never build the same component at once. A lock whose owner died is taken over.
 * `onWait` is called once when another live process holds the lock.
 */
export async function withLock<T>(lockFile: string, onWait: (ownerPid: number) => void, work: () => Promise<T>): Promise<T> {
  let waited = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readQuietly(lockFile));
    if (!Number.isInteger(owner) || owner <= 0 || !pidAlive(owner)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (!waited) onWait(owner);
    waited = true;
    await sleep(1000);
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function readQuietly(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

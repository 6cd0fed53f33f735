/** promtool and amtool for `verify`: given paths, then PATH, then the stack this package installs. */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { UserError } from '../cli/user-error';
import { stackBinaries } from '../stack/install';

export interface CheckTools {
  promtool: string;
  amtool: string;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function checkTools(given: Partial<CheckTools> = {}): CheckTools {
  const found: Partial<CheckTools> = { promtool: given.promtool ?? onPath('promtool'), amtool: given.amtool ?? onPath('amtool') };
  if (found.promtool && found.amtool) return found as CheckTools;
  let stack: CheckTools;
  try {
    stack = stackBinaries();
  } catch {
    const missing = found.promtool ? 'amtool' : 'promtool';
    throw new UserError(`no ${missing} found: put it on PATH, pass --${missing} PATH, or run "meshkit-rebalance-obs stack install" to build it.`);
  }
  return { promtool: found.promtool ?? stack.promtool, amtool: found.amtool ?? stack.amtool };
}

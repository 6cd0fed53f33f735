/** Argument parsing shared by the lifecycle commands (`stack`, `fleet`): `<verb>`, and `status [--json]`. */
import { UserError } from './user-error';

/**
 * Splits `<verb> [--json]`: undefined after printing `usage` for --help, otherwise the verb and
 * whether `status --json` was asked for. Any other argument is one sentence and a non-zero exit.
 */
export function verbArgs(args: readonly string[], usage: string): { verb: string | undefined; json: boolean } | undefined {
  if (args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  const [verb, ...rest] = args;
  const unknown = rest.filter((arg) => !(verb === 'status' && arg === '--json'));
  if (unknown.length > 0) throw new UserError(`unexpected argument "${unknown[0]}"; ${usage}.`);
  return { verb, json: rest.includes('--json') };
}

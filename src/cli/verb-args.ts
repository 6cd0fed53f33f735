/** Argument parsing and checks shared by the lifecycle commands (`stack`, `fleet`): `<verb>`, `status [--json]`. */
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

/**
 * Parses `args` (verbArgs) and runs the verb's handler; an unknown or missing verb is one sentence
 * naming `noun` and the usage.
 */
export async function runVerb(args: readonly string[], usage: string, noun: string, verbs: Record<string, (json: boolean) => Promise<number>>): Promise<number> {
  const parsed = verbArgs(args, usage);
  if (!parsed) return 0;
  const { verb, json } = parsed;
  const handler = verb === undefined ? undefined : Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
  if (!handler) throw new UserError(verb ? `unknown ${noun} command "${verb}"; ${usage}.` : `${usage}.`);
  return handler(json);
}

/**
 * For `status`: throws, as one sentence, unless every recorded process is ready (`noun` is "stack"
 * or "fleet", the words of its up and down commands).
 */
export function requireAllReady(noun: string, health: readonly { name: string; ready: boolean }[], none: string): void {
  const down = health.filter((component) => !component.ready).map((component) => component.name);
  if (down.length > 0 || health.length === 0) {
    throw new UserError(`the ${noun} is not up (${down.join(', ') || none} not ready); restart it with "meshkit-rebalance-obs ${noun} down" then "${noun} up".`, 1);
  }
}

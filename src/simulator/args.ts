import { UserError } from '../cli/user-error';

/** Options of one verb: name → takes a value (string) or is a flag (boolean). */
export type OptionSpec = Readonly<Record<string, 'value' | 'flag'>>;

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

/** `--name value`, `--name=value` and `--flag`; anything else is a one-sentence UserError. */
export function parseArgs(args: readonly string[], spec: OptionSpec, help: string): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UserError(`unknown option --${name}; run "${help}" for the options.`);
    if (kind === 'flag') {
      if (eq >= 0) throw new UserError(`--${name} takes no value.`);
      out.flags.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UserError(`--${name} needs a value.`);
    if (out.values.has(name)) throw new UserError(`--${name} is given twice.`);
    out.values.set(name, value);
  }
  return out;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `2h`, `1h30m`, `1d`, `500ms` → milliseconds; a bare number or anything else is an error. */
export function parseDuration(text: string, option: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ms|s|m|h|d)/g)! : undefined;
  if (!parts) throw new UserError(`--${option} "${text}" is not a duration like 90s, 30m, 2h or 1h30m.`);
  let ms = 0;
  for (const part of parts) {
    const unit = /(ms|s|m|h|d)$/.exec(part)![1];
    ms += parseFloat(part) * UNITS[unit];
  }
  if (!(ms > 0)) throw new UserError(`--${option} must be longer than zero.`);
  return Math.round(ms);
}

export function parsePositive(text: string, option: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UserError(`--${option} must be a positive number, not "${text}".`);
  return value;
}

export function parsePort(text: string, option: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 65535) throw new UserError(`--${option} must be a port number from 1 to 65535, not "${text}".`);
  return value;
}

/** The `meshkit-rebalance-obs` commands the docs show in shell blocks, and whether each needs a stack. */
import path from 'node:path';
import { fences, markdownFiles, ROOT } from './markdown';

export const BIN = path.join(ROOT, 'bin', 'meshkit-rebalance-obs.js');
const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
const SHIPPED_DASHBOARD = path.join(ROOT, 'dashboards', 'meshkit-rebalance-oncall.json');
/** Placeholders the docs use, and the values the tests run them with. */
const PLACEHOLDERS: Record<string, string> = { '<planId>': 'p-42', '<plan-id>': 'p-42', NAME: 'stuck-plan', 'OLD.json': SHIPPED_DASHBOARD, 'NEW.json': SHIPPED_DASHBOARD };

export interface Shown {
  args: string[];
  where: string;
  /** The output the docs print for it: a `text` block right after the command's block. */
  output?: string;
}

/** Shell lines of the docs' code blocks, continuation lines joined, prompts dropped. */
export function shellLines(): { line: string; where: string; output?: string }[] {
  return markdownFiles().flatMap((file) => {
    const all = fences(file);
    return all.flatMap((f, n) => {
      if (!SHELL.has(f.lang)) return [];
      const next = all[n + 1];
      const end = f.line + f.body.split('\n').length + 1;
      // A `text` block a few lines after a one-command block shows that command's output.
      const output = next && next.lang === 'text' && next.line - end <= 6 && f.body.trim().split('\n').length === 1 ? next.body : undefined;
      const joined = f.body.replace(/\\\n\s*/g, ' ').split('\n');
      return joined.map((line, i) => ({ line: line.replace(/^\s*\$\s+/, '').trim(), where: `${file}:${f.line + 1 + i}`, ...(output ? { output } : {}) }));
    });
  });
}

/** Each `meshkit-rebalance-obs ...` invocation in a line (also inside `$( ... )` and before a pipe). */
export function shownCommands(): Shown[] {
  const seen = new Map<string, Shown>();
  for (const { line, where, output } of shellLines()) {
    const code = line.replace(/\s#.*$/, '');
    for (const m of code.matchAll(/(?:^|[\s;(&|])(?:npx\s+)?meshkit-rebalance-obs((?:\s+[^\s|;&)#]+)*)/g)) {
      const args = m[1]!.trim().split(/\s+/).filter(Boolean).map((a) => PLACEHOLDERS[a] ?? a);
      const key = args.join(' ');
      if (!seen.has(key)) seen.set(key, { args, where });
      if (output && !seen.get(key)!.output) seen.set(key, { args, where, output });
    }
  }
  return [...seen.values()];
}

export type Kind = 'runs' | 'needs-stack';

export function kindOf(args: readonly string[]): Kind {
  const [verb, sub] = args;
  if (!verb || args.includes('--help') || args.includes('-h')) return 'runs';
  if (verb === 'dashboards') return 'runs';
  if (verb === 'simulate') {
    if (args.includes('--list') || sub === 'history') return 'runs';
    // A live run with its own exporters would run for ever: the docs must bound it.
    if ((args.includes('--no-stack') || args.includes('--otlp')) && !args.includes('--duration')) {
      throw new Error(`simulate ${args.join(' ')} runs until interrupted without a stack; show it with --duration`);
    }
    return args.includes('--duration') && (args.includes('--no-stack') || args.includes('--otlp')) ? 'runs' : 'needs-stack';
  }
  if ((verb === 'stack' || verb === 'fleet') && sub === 'down') return 'runs';
  // generate needs only its site.yaml (the docs show the shipped example)
  if (verb === 'generate') return 'runs';
  return 'needs-stack';
}

/**
 * A line of output as the docs' excerpt compares it: durations (`3m05s`) as `DUR`, other numbers
 * (times, ports, counts, seeds) as `#`,
 * paths as `PATH`, runs of spaces as one. Lines naming a plan or a shard (`orders-0-p2`,
 * `orders-0135`) are the run's own data and not part of the excerpt.
 */
export function excerptLine(line: string): string | undefined {
  if (/\b[a-z]+-\d+-p\d+\b|\b[a-z]+-\d{4}\b/.test(line)) return undefined;
  const normal = line
    .replace(/(?:\/[^\s;"'|]+)+/g, 'PATH')
    .replace(/\b(?:\d+(?:\.\d+)?(?:ms|h|m|s))+\b/g, 'DUR')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return normal || undefined;
}

/** The excerpt lines of the docs' output that the actual output lacks. */
export function missingExcerpt(shownOutput: string, actual: string): string[] {
  const have = new Set(actual.split('\n').map(excerptLine));
  return shownOutput
    .split('\n')
    .filter((l) => excerptLine(l) !== undefined && !have.has(excerptLine(l)));
}

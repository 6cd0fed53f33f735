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
}

/** Shell lines of the docs' code blocks, continuation lines joined, prompts dropped. */
export function shellLines(): { line: string; where: string }[] {
  return markdownFiles().flatMap((file) =>
    fences(file)
      .filter((f) => SHELL.has(f.lang))
      .flatMap((f) => {
        const joined = f.body.replace(/\\\n\s*/g, ' ').split('\n');
        return joined.map((line, i) => ({ line: line.replace(/^\s*\$\s+/, '').trim(), where: `${file}:${f.line + 1 + i}` }));
      }),
  );
}

/** Each `meshkit-rebalance-obs ...` invocation in a line (also inside `$( ... )` and before a pipe). */
export function shownCommands(): Shown[] {
  const seen = new Map<string, Shown>();
  for (const { line, where } of shellLines()) {
    const code = line.replace(/\s#.*$/, '');
    for (const m of code.matchAll(/(?:^|[\s;(&|])(?:npx\s+)?meshkit-rebalance-obs((?:\s+[^\s|;&)#]+)*)/g)) {
      const args = m[1]!.trim().split(/\s+/).filter(Boolean).map((a) => PLACEHOLDERS[a] ?? a);
      const key = args.join(' ');
      if (!seen.has(key)) seen.set(key, { args, where });
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
  if (verb === 'stack' && sub === 'down') return 'runs';
  return 'needs-stack';
}

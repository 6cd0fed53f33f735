/**
 * Every `meshkit-rebalance-obs` command shown in a shell block of the docs (or the README) runs:
 *
 * - commands that need nothing (`--help`, `simulate --list`, `simulate history`, `stack down` with
 *   nothing up) run to the end and exit 0;
 * - commands that need a running or installed stack (`stack up|install|status`, live `simulate`,
 *   `trace`) run in an empty directory with no stack and no Go toolchain, and must stop with exit
 *   status ≠ 0 and one sentence that is about the missing stack — not "unknown command", "unknown
 *   option" or "unexpected argument": the verb and every flag parsed.
 *
 * Also: `mesh` command lines use the verbs MeshKit documents, and those not shipped yet say so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fences, markdownFiles, ROOT } from './markdown';

const BIN = path.join(ROOT, 'bin', 'meshkit-rebalance-obs.js');
const SHELL = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
/** Placeholders the docs use, and the values the test runs them with. */
const PLACEHOLDERS: Record<string, string> = { '<planId>': 'p-42', '<plan-id>': 'p-42', NAME: 'stuck-plan' };

interface Shown {
  args: string[];
  where: string;
}

/** Shell lines of the docs' code blocks, continuation lines joined, prompts dropped. */
function shellLines(): { line: string; where: string }[] {
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
function shownCommands(): Shown[] {
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

type Kind = 'runs' | 'needs-stack';

function kindOf(args: readonly string[]): Kind {
  const [verb, sub] = args;
  if (!verb || args.includes('--help') || args.includes('-h')) return 'runs';
  if (verb === 'simulate') {
    if (args.includes('--list') || sub === 'history') return 'runs';
    // A live run with its own exporters would run for ever: the docs must bound it.
    if ((args.includes('--no-stack') || args.includes('--otlp')) && !args.includes('--duration')) {
      throw new Error(`simulate ${args.join(' ')} runs until interrupted without a stack; show it with --duration`);
    }
    return args.includes('--duration') && (args.includes('--no-stack') || args.includes('--otlp')) ? 'runs' : 'needs-stack';
  }
  if ((verb === 'stack' || verb === 'fleet') && sub === 'down') return 'runs';
  return 'needs-stack';
}

const PARSE_ERRORS = /unknown (command|option|stack command|scenario)|unexpected argument|needs a value|is given twice|takes no value|is not a duration|is not a URL|must be a (positive|port|whole)/;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'meshkit-doc-commands-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI in an empty directory: no `.stack/`, an empty binary cache, no Go toolchain. */
function run(args: readonly string[]) {
  const cwd = mkdtempSync(path.join(scratch, 'cwd-'));
  // Files the docs write (simulate history --out) go into the scratch directory.
  const rewritten = args.map((a, i) => (args[i - 1] === '--out' ? path.join(cwd, path.basename(a)) : a));
  const result = spawnSync(process.execPath, [BIN, ...rewritten], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      XDG_CACHE_HOME: path.join(cwd, 'cache'),
      MESHKIT_OBS_CACHE_DIR: path.join(cwd, 'cache', 'meshkit-rebalance-obs'),
      MESHKIT_OBS_GO: path.join(cwd, 'no-go-here'),
    },
  });
  return { ...result, cwd, rewritten };
}

const commands = shownCommands();

describe('meshkit-rebalance-obs commands shown in the docs', () => {
  it('finds them (stack, simulate and trace at least)', () => {
    const verbs = new Set(commands.map((c) => c.args[0]));
    for (const verb of ['stack', 'simulate', 'trace']) expect(verbs).toContain(verb);
    expect(commands.length).toBeGreaterThan(8);
  });

  it.each(commands.map((c) => [c.args.join(' '), c] as const))('meshkit-rebalance-obs %s', (_, shown) => {
    const kind = kindOf(shown.args);
    const r = run(shown.args);
    const context = `${shown.where}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
    expect(r.error).toBeUndefined();
    if (kind === 'runs') {
      if (r.status !== 0) throw new Error(`exit ${r.status}: ${context}`);
      const out = r.rewritten.indexOf('--out');
      if (out >= 0) expect(existsSync(r.rewritten[out + 1]!)).toBe(true);
      return;
    }
    if (r.status === 0) throw new Error(`expected it to stop for want of a stack: ${context}`);
    const lines = r.stderr.trim().split('\n');
    const last = lines[lines.length - 1]!;
    if (PARSE_ERRORS.test(r.stderr)) throw new Error(`the command does not parse: ${context}`);
    expect(last).toMatch(new RegExp(`^meshkit-rebalance-obs ${shown.args[0]}: .+\\.$`));
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // One sentence: whatever came before is progress lines of the verb, never a second error.
    expect(lines.slice(0, -1).every((l) => /^\[[a-z]+\]/.test(l))).toBe(true);
  });
});

/** `mesh` verbs as MeshKit documents them; the value says whether the verb has shipped. */
const MESH_VERBS: Record<string, boolean> = {
  'shards list': true,
  'shards diff': true,
  'shards simulate': true,
  'upgrade drain': true,
  'upgrade resume': true,
  'upgrade status': true,
  'leaders status': true,
  'shards rebalance plan': false,
  'shards rebalance approve': false,
  'shards rebalance cancel': false,
  'shards rebalance watch': false,
  'shards rebalance pause': false,
  'shards rebalance resume': false,
};
const NOT_SHIPPED = '# not shipped yet';

describe('mesh commands shown in the docs', () => {
  const lines = shellLines().filter(({ line }) => /^mesh\s/.test(line));

  it('are there (the runbooks remediate with them)', () => {
    expect(lines.length).toBeGreaterThan(30);
  });

  it.each(lines.map((l) => [`${l.where}: ${l.line}`, l] as const))('%s', (_, { line }) => {
    const words = line.replace(/\s#.*$/, '').split(/\s+/).slice(1);
    const verb = Object.keys(MESH_VERBS).find((v) => words.slice(0, v.split(' ').length).join(' ') === v);
    expect(verb).toBeDefined();
    if (MESH_VERBS[verb!]) expect(line).not.toContain(NOT_SHIPPED);
    else expect(line.endsWith(NOT_SHIPPED)).toBe(true);
  });
});

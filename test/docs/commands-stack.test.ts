/**
 * Every documented `meshkit-rebalance-obs` command that needs a stack runs against a real one, and its
 * output still says what the docs show (a stable excerpt: the lines a reader looks for, not the whole
 * output). Opt in, because it starts the stack, runs a short demo and renders a screenshot (a few
 * minutes on a shared machine): `MESHKIT_DOCS_STACK=1 npm test -- test/docs/commands-stack.test.ts`.
 *
 * One stack for the whole file, in a scratch project: `stack up` as the docs show it, then the
 * commands in the order a reader runs them — live `simulate` (stopped once it reports), `demo` (which
 * leaves the traces the `trace` commands open: its acts replay their scenarios' finished plans),
 * `trace`, `stack status`, `render`, and `stack down` last.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, kindOf, missingExcerpt, shownCommands, type Shown } from './shown-commands';

const ENABLED = process.env.MESHKIT_DOCS_STACK === '1';
/** A plan the demo's data holds, for the docs' `<planId>` placeholder. */
const PLAN = 'orders-0-p2';

const PHASE = (args: readonly string[]): number => {
  const [verb, sub] = args;
  if (verb === 'stack' && (sub === 'install' || sub === 'up')) return 0;
  if (verb === 'simulate') return 1;
  if (verb === 'demo') return 2;
  if (verb === 'trace') return 3;
  if (verb === 'stack' && sub === 'status') return 4;
  if (verb === 'render') return 5;
  if (verb === 'stack' && sub === 'down') return 7;
  return 6;
};

const documented = shownCommands()
  .filter((c) => kindOf(c.args) === 'needs-stack' || (c.args[0] === 'stack' && c.args[1] === 'down'))
  .map((c) => ({ ...c, args: c.args.map((a) => (a === 'p-42' ? PLAN : a)) }))
  .sort((a, b) => PHASE(a.args) - PHASE(b.args));

let project: string;
const started = Date.now();

function cli(args: readonly string[], timeout = 180_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: project, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** A command that runs until interrupted: started, read until `until` shows, then stopped with SIGINT. */
function runUntil(args: readonly string[], until: RegExp, timeoutMs = 120_000): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: project, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stopping = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`meshkit-rebalance-obs ${args.join(' ')} never printed ${until}:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!stopping && until.test(output)) {
        stopping = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}

/** Where the docs print the command's output, every line of it (numbers, paths and ids aside) is still printed. */
function excerpt(shown: Shown, actual: string): void {
  if (!shown.output) return;
  const missing = missingExcerpt(shown.output, actual);
  if (missing.length) throw new Error(`${shown.where}: the docs show output that meshkit-rebalance-obs ${shown.args.join(' ')} no longer prints:\n${missing.join('\n')}\n--- it printed:\n${actual}`);
}

/** What each kind of command must still say, as the docs show it. */
async function check(shown: Shown): Promise<void> {
  const { args } = shown;
  const [verb, sub] = args;
  const fail = (why: string, out: string) => {
    throw new Error(`${shown.where}: meshkit-rebalance-obs ${args.join(' ')} ${why}\n${out}`);
  };
  if (verb === 'simulate') {
    const scenario = args[args.indexOf('--scenario') + 1]!;
    const r = await runUntil(args, /moves in flight|stopped after/);
    if (!r.output.includes(`[simulate] ${scenario} (seed `) || !/OTLP to http:\/\/127\.0\.0\.1:\d+/.test(r.output)) fail('did not report its scenario and OTLP target', r.output);
    excerpt(shown, r.output);
    return;
  }
  const r = cli(args, verb === 'render' || verb === 'demo' ? 600_000 : 180_000);
  const out = `stdout: ${r.stdout}\nstderr: ${r.stderr}`;
  if (r.error || r.status !== 0) fail(`exited with ${r.status}`, out);
  excerpt(shown, `${r.stdout}\n${r.stderr}`);
  if (verb === 'stack' && (sub === 'up' || (sub === 'status' && !args.includes('--json')))) {
    for (const name of ['prometheus', 'alertmanager', 'otlp_http', 'trace_query']) if (!new RegExp(`^${name}\\s+http://127\\.0\\.0\\.1:\\d+$`, 'm').test(r.stdout)) fail(`does not list ${name} and its URL`, out);
    if (sub === 'status' && !/^prometheus\s+ready\s+pid \d+$/m.test(r.stdout)) fail('does not say prometheus is ready', out);
  } else if (verb === 'stack' && sub === 'status') {
    const urls = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(urls)).toEqual(expect.arrayContaining(['prometheus', 'trace_query']));
  } else if (verb === 'trace') {
    const plan = args[1]!;
    if (!new RegExp(`^plan ${plan}\\s+trigger \\w+\\s+\\S+/\\S+\\s+\\d+ moves`).test(r.stdout) || !r.stdout.includes('drain / handoff / verify')) fail('does not show the plan timeline', out);
  } else if (verb === 'demo') {
    if (!/Prometheus/.test(r.stdout) || !r.stdout.includes('The stack was up before the demo and stays up')) fail('does not end with where to look', out);
  } else if (verb === 'render') {
    const dir = path.join(project, args[args.indexOf('--out') + 1] ?? 'docs/screenshots');
    const pngs = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.png')) : [];
    if (!pngs.length || !/\[render\] \d+ screenshot\(s\) in /.test(r.stderr)) fail(`wrote no PNG to ${dir}`, out);
  } else if (verb === 'stack' && sub === 'down') {
    const after = cli(['stack', 'status']);
    if (after.status === 0 && /ready\s+pid/.test(after.stdout)) fail('left the stack running', after.stdout);
  }
}

(ENABLED ? describe : describe.skip)('documented commands on a real stack', () => {
  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), 'meshkit-doc-stack-'));
    // Links the cached binaries into the scratch project (builds them on a machine that lacks them).
    const r = cli(['stack', 'install'], 40 * 60_000);
    if (r.status !== 0) throw new Error(`stack install failed:\n${r.stderr}`);
  }, 40 * 60_000);

  afterAll(() => {
    cli(['stack', 'down']);
    rmSync(project, { recursive: true, force: true });
    process.stderr.write(`[docs] documented commands on a real stack: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  it('checks the output the docs print for stack up, simulate and trace', () => {
    const withOutput = documented.filter((c) => c.output).map((c) => c.args[0] === 'stack' ? c.args.slice(0, 2).join(' ') : c.args[0]);
    expect(new Set(withOutput)).toEqual(new Set(['stack up', 'simulate', 'trace']));
  });

  it('covers stack up and status, live simulate, demo, trace, render and stack down', () => {
    const verbs = new Set(documented.map((c) => c.args.slice(0, c.args[0] === 'stack' ? 2 : 1).join(' ')));
    for (const v of ['stack up', 'stack status', 'simulate', 'demo', 'trace', 'render', 'stack down']) expect(verbs).toContain(v);
  });

  it.each(documented.map((c) => [c.args.join(' '), c] as const))('meshkit-rebalance-obs %s', async (_, shown) => check(shown), 600_000);
});

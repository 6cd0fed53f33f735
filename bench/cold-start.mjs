// Cold start: a fresh node process requires the package and creates a telemetry. The single-file
// bundle is compared with the unbundled CommonJS build (which loads @opentelemetry/* from
// node_modules); an empty `node` process is timed alongside to show the interpreter's own start-up.
// The three run alternately, RUNS times each; medians and the median of same-round ratios are kept.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './harness.mjs';

const RUNS = 15;
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const CHILD = here('./cold-start-child.cjs');
export const COLD_SUBJECTS = {
  bundle: here('../dist/meshkit-rebalance-observability.cjs'),
  unbundled: here('../dist/cjs/index.js'),
};

function spawnTimed(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`cold start failed: ${args.join(' ')}\n${r.stderr}`);
  return { wallMs, ...(r.stdout ? JSON.parse(r.stdout) : {}) };
}

export function runColdStart(runs = RUNS) {
  const samples = { empty: [], bundle: [], unbundled: [] };
  for (let i = 0; i < runs; i++) {
    // Alternate which of the two goes first so neither always follows the other.
    const order = i % 2 === 0 ? ['bundle', 'unbundled'] : ['unbundled', 'bundle'];
    samples.empty.push(spawnTimed(['-e', '']));
    for (const name of order) samples[name].push(spawnTimed([CHILD, COLD_SUBJECTS[name]]));
  }
  const summary = {};
  for (const [name, xs] of Object.entries(samples)) {
    summary[name] = {
      wallMs: median(xs.map((x) => x.wallMs)),
      requireMs: name === 'empty' ? undefined : median(xs.map((x) => x.requireMs)),
      createMs: name === 'empty' ? undefined : median(xs.map((x) => x.createMs)),
      requirePlusCreateMs: name === 'empty' ? undefined : median(xs.map((x) => x.requireMs + x.createMs)),
    };
  }
  const paired = (key) => median(samples.bundle.map((b, i) => b[key] / samples.unbundled[i][key]));
  return {
    runs,
    summary,
    ratio: {
      wall: paired('wallMs'),
      requirePlusCreate: median(samples.bundle.map((b, i) => (b.requireMs + b.createMs) / (samples.unbundled[i].requireMs + samples.unbundled[i].createMs))),
      wallAboveEmptyNode: (summary.bundle.wallMs - summary.empty.wallMs) / (summary.unbundled.wallMs - summary.empty.wallMs),
    },
    samples,
  };
}

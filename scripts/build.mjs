// Builds the package: CommonJS and ESM entry points (dependencies external), type declarations,
// the CLI, and the single-file bundles with every dependency inlined.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';

const entry = 'src/index.ts';
const common = { entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning' };
const external = ['@opentelemetry/*'];

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, format: 'cjs', outfile: 'dist/cjs/index.js', external }),
  build({ ...common, format: 'esm', outfile: 'dist/esm/index.mjs', external }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], format: 'cjs', outfile: 'dist/cli.cjs', packages: 'external' }),
  // The single-file bundles: nothing is resolved at run time, so they run without node_modules.
  build({ ...common, format: 'cjs', outfile: 'dist/meshkit-rebalance-observability.cjs', minify: true }),
  build({
    ...common,
    format: 'esm',
    outfile: 'dist/meshkit-rebalance-observability.mjs',
    minify: true,
    // Bundled CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
    banner: { js: "import { createRequire as __meshkitCreateRequire } from 'node:module'; const require = __meshkitCreateRequire(import.meta.url);" },
  }),
]);
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
for (const file of ['dist/meshkit-rebalance-observability.cjs', 'dist/meshkit-rebalance-observability.mjs']) {
  process.stderr.write(`[build] ${file}: ${(statSync(file).size / 1024).toFixed(0)} KiB\n`);
}

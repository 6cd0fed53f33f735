// Builds the package: CommonJS and ESM entry points (dependencies external), type declarations,
// the CLI, and the single-file bundles with every dependency inlined.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';

const entry = 'src/index.ts';
const common = { entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning' };
const external = ['@opentelemetry/*'];
// ESM output of modules that find the package's files from `__dirname` (and bundle CommonJS that calls require()).
const ESM_DIRNAME = "import { createRequire as __meshkitCreateRequire } from 'node:module'; const require = __meshkitCreateRequire(import.meta.url); import { fileURLToPath as __meshkitFileURLToPath } from 'node:url'; import { dirname as __meshkitDirname } from 'node:path'; const __dirname = __meshkitDirname(__meshkitFileURLToPath(import.meta.url));";

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, format: 'cjs', outfile: 'dist/cjs/index.js', external }),
  build({ ...common, format: 'esm', outfile: 'dist/esm/index.mjs', external }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], format: 'cjs', outfile: 'dist/cli.cjs', packages: 'external' }),
  // The site configuration API (`@meshkit/rebalance-observability/site`) and the manifest validator
  // that `verify` runs as a child process (the Kubernetes models are ESM-only).
  build({ ...common, entryPoints: ['src/site/index.ts'], format: 'cjs', outfile: 'dist/cjs/site.js', packages: 'external' }),
  build({ ...common, entryPoints: ['src/site/index.ts'], format: 'esm', outfile: 'dist/esm/site.mjs', packages: 'external', banner: { js: ESM_DIRNAME } }),
  build({ ...common, entryPoints: ['src/site/validate-manifests.mts'], format: 'esm', outfile: 'dist/validate-manifests.mjs', packages: 'external' }),
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

/**
 * `verify DIR`: what a site's CI runs on a generated directory — promtool check and test of the
 * rules, amtool check-config, and, for the Kubernetes format, every manifest against the
 * kubernetes-models schemas with the PrometheusRule's payload checked by promtool too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { UserError } from '../cli/user-error';
import { SITE_LAYOUT } from './generate';
import type { CheckTools } from './tools';

export interface VerifyStep {
  name: string;
  ok: boolean;
  /** The tool's output when it failed; a count when it passed. */
  detail: string;
}

function run(binary: string, args: string[], input?: string): { status: number | null; output: string } {
  const result = spawnSync(binary, args, { encoding: 'utf8', input, timeout: 120_000 });
  if (result.error) throw new UserError(`cannot run ${binary}: ${result.error.message}.`);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

const yamlFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f)) : []);

/** How to run the manifest validator: the built .mjs beside this module, or the source through tsx. */
function validatorCommand(): string[] {
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const built = path.join(dir, 'validate-manifests.mjs');
    if (existsSync(built)) return [built];
  }
  return ['--import', 'tsx', path.join(__dirname, 'validate-manifests.mts')];
}

/** Every Kubernetes object in `files` against its model; one step per file. */
export function validateManifests(objects: { file: string; object: unknown }[]): VerifyStep[] {
  const result = run(process.execPath, validatorCommand(), JSON.stringify(objects.map((o) => o.object)));
  if (result.status !== 0 && result.output === '') throw new UserError(`the manifest validator failed with exit code ${result.status}.`);
  const problems = result.output.split('\n').filter(Boolean);
  return [{ name: `kubernetes-models: ${objects.length} objects`, ok: problems.length === 0 && result.status === 0, detail: problems.join('\n') || `${objects.length} valid` }];
}

export function verifySite(dir: string, tools: CheckTools, log: (line: string) => void = () => undefined): VerifyStep[] {
  const rulesDir = path.join(dir, path.dirname(SITE_LAYOUT.rules));
  const ruleFiles = yamlFiles(rulesDir);
  if (ruleFiles.length === 0) throw new UserError(`${dir} holds no ${path.dirname(SITE_LAYOUT.rules)}/*.yml; write it with "meshkit-rebalance-obs generate --config site.yaml --out ${dir}".`);
  const steps: VerifyStep[] = [];
  const step = (name: string, r: { status: number | null; output: string }) => {
    steps.push({ name, ok: r.status === 0, detail: r.output });
    log(`[verify] ${r.status === 0 ? 'ok  ' : 'FAIL'} ${name}`);
  };
  for (const file of ruleFiles) step(`promtool check rules ${path.relative(dir, file)}`, run(tools.promtool, ['check', 'rules', '--lint=all', '--lint-fatal', file]));
  for (const file of yamlFiles(path.join(dir, path.dirname(SITE_LAYOUT.tests)))) step(`promtool test rules ${path.relative(dir, file)}`, run(tools.promtool, ['test', 'rules', file]));
  const am = path.join(dir, SITE_LAYOUT.alertmanager);
  if (existsSync(am)) step(`amtool check-config ${SITE_LAYOUT.alertmanager}`, run(tools.amtool, ['check-config', am]));

  const manifests = yamlFiles(path.join(dir, SITE_LAYOUT.kubernetes)).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => ({ file, object: doc.toJS() as { kind?: string; spec?: unknown } })),
  );
  if (manifests.length > 0) {
    for (const s of validateManifests(manifests)) {
      steps.push(s);
      log(`[verify] ${s.ok ? 'ok  ' : 'FAIL'} ${s.name}`);
    }
    const tmp = mkdtempSync(path.join(tmpdir(), 'meshkit-verify-'));
    try {
      for (const { file, object } of manifests.filter((m) => m.object.kind === 'PrometheusRule')) {
        const payload = path.join(tmp, 'rules.yml');
        writeFileSync(payload, stringify(object.spec, { lineWidth: 0 }));
        step(`promtool check rules (PrometheusRule in ${path.relative(dir, file)})`, run(tools.promtool, ['check', 'rules', '--lint=all', '--lint-fatal', payload]));
        const same = JSON.stringify(object.spec) === JSON.stringify(parse(readFileSync(ruleFiles[0], 'utf8')));
        const name = `PrometheusRule in ${path.relative(dir, file)} holds ${path.relative(dir, ruleFiles[0])}`;
        steps.push({ name, ok: same, detail: same ? '' : 'the PrometheusRule and the rule file differ: regenerate both' });
        log(`[verify] ${same ? 'ok  ' : 'FAIL'} ${name}`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return steps;
}

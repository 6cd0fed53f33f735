/** The `generate` and `verify` verbs. */
import type { Command } from '../cli/command';
import { UserError, progress } from '../cli/user-error';
import { OUTPUT_FORMATS, generateSite, type OutputFormat } from './generate';
import { loadSiteConfig } from './load';
import { siteRuleTestCoverage } from './promtool-tests';
import type { SiteConfig } from './types';

const GENERATE_USAGE = 'usage: meshkit-rebalance-obs generate --config site.yaml --out DIR [--format files|kubernetes]';
const VERIFY_USAGE = 'usage: meshkit-rebalance-obs verify DIR [--promtool PATH] [--amtool PATH]';

/** `--name value` options; anything else is an error naming the usage. */
function options(args: string[], names: readonly string[], usage: string): { values: Record<string, string>; positional: string[] } {
  const values: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) positional.push(arg);
    else if (names.includes(arg)) {
      const value = args[++i];
      if (value === undefined || value.startsWith('-')) throw new UserError(`${arg} needs a value; ${usage}`);
      values[arg] = value;
    } else throw new UserError(`unknown option ${arg}; ${usage}`);
  }
  return { values, positional };
}

const wantsHelp = (args: string[], usage: string) => {
  if (!args.includes('--help') && !args.includes('-h')) return false;
  process.stdout.write(`${usage}\n`);
  return true;
};

export const generateCommand: Command = {
  summary: 'write rules, promtool tests, Alertmanager config, dashboards (and Kubernetes manifests) from a site.yaml',
  async run(args) {
    if (wantsHelp(args, GENERATE_USAGE)) return 0;
    const { values, positional } = options(args, ['--config', '--out', '--format'], GENERATE_USAGE);
    if (positional.length > 0) throw new UserError(`unexpected argument ${positional[0]}; ${GENERATE_USAGE}`);
    const out = values['--out'];
    if (!out) throw new UserError(`--out DIR is required; ${GENERATE_USAGE}`);
    const format = (values['--format'] ?? 'files') as OutputFormat;
    if (!OUTPUT_FORMATS.includes(format)) throw new UserError(`--format is "${format}"; allowed: ${OUTPUT_FORMATS.join(', ')}.`);
    const site: SiteConfig = values['--config'] ? loadSiteConfig(values['--config']) : {};
    const written = generateSite(site, out, format);
    progress(`[generate] ${written.length} files in ${out} (${format}${values['--config'] ? `, from ${values['--config']}` : ', the defaults'})`);
    const tested = siteRuleTestCoverage(site);
    progress(`[generate] promtool tests: ${tested.alerts} alerts, ${tested.rules} rules (alert and scope), ${tested.groups} test groups`);
    for (const file of written) process.stdout.write(`${file}\n`);
    return 0;
  },
};

export const verifyCommand: Command = {
  summary: 'promtool check + test, amtool check-config and manifest validation of a generated directory',
  async run(args) {
    if (wantsHelp(args, VERIFY_USAGE)) return 0;
    const { values, positional } = options(args, ['--promtool', '--amtool'], VERIFY_USAGE);
    if (positional.length !== 1) throw new UserError(VERIFY_USAGE);
    const { existsSync } = await import('node:fs');
    if (!existsSync(positional[0])) throw new UserError(`${positional[0]} does not exist; write it with "meshkit-rebalance-obs generate --config site.yaml --out ${positional[0]}".`);
    const { checkTools } = await import('./tools');
    const { verifySite } = await import('./verify');
    const steps = verifySite(positional[0], checkTools({ promtool: values['--promtool'], amtool: values['--amtool'] }), progress);
    const failed = steps.filter((s) => !s.ok);
    for (const s of failed) process.stderr.write(`--- ${s.name}\n${s.detail}\n`);
    process.stdout.write(`${steps.length - failed.length} passed, ${failed.length} failed\n`);
    return failed.length === 0 ? 0 : 1;
  },
};

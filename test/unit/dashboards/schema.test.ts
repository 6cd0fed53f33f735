import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboards } from '../../../src/dashboards/render';
import { deriveDashboardJsonSchema, typecheckSource } from '../../helpers/grafana-schema';

const root = join(__dirname, '..', '..', '..');
const generated = dashboards();
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Dashboards broken in ways Grafana's schema rejects. */
function broken() {
  const noSchemaVersion = clone(generated.exec) as unknown as Record<string, unknown>;
  delete noSchemaVersion.schemaVersion;
  const badGrid = clone(generated.exec);
  delete (badGrid.panels![1]!.gridPos as unknown as Record<string, unknown>).h;
  const unknownField = { ...clone(generated.oncall), colour: 'blue' };
  const badVariableType = clone(generated.oncall);
  (badVariableType.templating!.list![1] as { type: string }).type = 'dropdown';
  const badThresholdMode = clone(generated.oncall);
  const withThresholds = badThresholdMode.panels!.find((p) => 'fieldConfig' in p && p.fieldConfig?.defaults.thresholds)! as { fieldConfig: { defaults: { thresholds: { mode: string } } } };
  withThresholds.fieldConfig.defaults.thresholds.mode = 'relative';
  return { noSchemaVersion, badGrid, unknownField, badVariableType, badThresholdMode };
}

describe("dashboards against Grafana's schema (@grafana/schema `Dashboard`)", () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(deriveDashboardJsonSchema());

  it.each(Object.entries(generated))('%s validates against the JSON schema derived from the type', (_name, dashboard) => {
    const ok = validate(clone(dashboard));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(Object.entries(broken()))('the derived JSON schema rejects %s', (_name, dashboard) => {
    expect(validate(dashboard)).toBe(false);
  });

  it('type-checks against the `Dashboard` type with tsc (and tsc rejects the broken ones)', () => {
    const dir = join(root, '.cache', 'dashboard-typecheck');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'dashboards.ts');
    writeFileSync(file, typecheckSource(generated, broken()));
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    const args = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'commonjs', '--moduleResolution', 'node10', '--types', 'node', file];
    let output = '';
    try {
      execFileSync(tsc, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    }
    expect(output).toBe('');
  }, 120_000);
});

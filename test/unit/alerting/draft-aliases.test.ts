/**
 * The opt-in draft-alias group (alerting/draft-aliases/) is a valid, lint-clean rule file whose
 * promtool tests pass, it serves every draft name of the schema, and the shipped stack does not load
 * it unless a site adds it.
 */
import path from 'node:path';
import { DRAFT_ALIASES_FILE, draftAliasRules, draftAliasSeries } from '../../../src/alerting/draft-aliases';
import { ruleFiles } from '../../../src/stack/configs';
import { DRAFT_ALIASES, METRICS } from '../../../src/schema';
import { STACK_TIMEOUT_MS, readYaml, root, run, stack } from './tools';

const TESTS = path.join(path.dirname(DRAFT_ALIASES_FILE), 'tests.yml');

let promtool: string;
beforeAll(async () => {
  promtool = (await stack()).promtool;
}, STACK_TIMEOUT_MS);

describe('draft-alias rule group', () => {
  it('check rules: valid and lint-clean', () => {
    const result = run(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', DRAFT_ALIASES_FILE]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`SUCCESS: ${draftAliasRules().length} rules found`);
  });

  it('test rules: each alias equals its source', () => {
    const result = run(promtool, ['test', 'rules', TESTS]);
    if (result.status !== 0) throw new Error(`promtool test rules ${TESTS} failed:\n${result.stdout}\n${result.stderr}`);
    expect(result.stdout).toContain('SUCCESS');
  });

  it('the promtool tests read every alias series and its source', () => {
    const text = JSON.stringify(readYaml(path.join(root, TESTS)));
    for (const { alias, source } of draftAliasSeries()) {
      expect(text).toContain(alias);
      expect(text).toContain(source);
    }
  });

  it('serves each draft name from the schema metric of the same kind, histograms with bucket, sum and count', () => {
    expect(draftAliasSeries().length).toBe(DRAFT_ALIASES.reduce((n, a) => n + (METRICS[a.source].kind === 'histogram' ? 3 : 1), 0));
    expect(draftAliasRules().map((r) => r.record)).toEqual(draftAliasSeries().map((s) => s.alias));
  });

  it('is opt in: the stack loads only the shipped rule file', () => {
    expect(ruleFiles().map((f) => path.relative(root, f))).not.toContain(DRAFT_ALIASES_FILE);
  });
});

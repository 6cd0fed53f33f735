/**
 * The generated rules pass `promtool check rules` (with every lint fatal) and the hand-written
 * fixtures in alerting/tests/ pass `promtool test rules`, with the project-built promtool.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RECORDED } from '../../../src/alerting/recording-rules';
import { RULES_FILE, renderRules, ruleGroups } from '../../../src/alerting/render';
import { STACK_TIMEOUT_MS, root, run, stack, testFiles } from './tools';

let promtool: string;
beforeAll(async () => {
  promtool = (await stack()).promtool;
}, STACK_TIMEOUT_MS);

describe('promtool', () => {
  it('check rules: the generated rule file is valid and lint-clean', () => {
    const result = run(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', RULES_FILE]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it.each(testFiles().map((file) => path.relative(root, file)))('test rules: %s', (file) => {
    const result = run(promtool, ['test', 'rules', file]);
    if (result.status !== 0) throw new Error(`promtool test rules ${file} failed:\n${result.stdout}\n${result.stderr}`);
    expect(result.stdout).toContain('SUCCESS');
  });

  describe('time-scaled rules (for end-to-end runs at compressed time)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'meshkit-rules-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('renderRules({ timeScale: 1/60 }) is valid and scales every duration', () => {
      const file = path.join(dir, 'scaled.rules.yml');
      writeFileSync(file, renderRules({ timeScale: 1 / 60, interval: '1s' }));
      const result = run(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', file]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);

      const [recording, alerting] = ruleGroups({ timeScale: 1 / 60 }).groups;
      const byName = (name: string) => alerting.rules.filter((r) => r.alert === name);
      expect(byName('MeshKitRebalanceNoLeader')[0].for).toBe('5s');
      expect(byName('MeshKitRebalancePlanOverrun')[0].for).toBe('10s');
      expect(byName('MeshKitRebalanceMovesAboveLoweredLimit')[0].expr).toContain('[30s]');
      expect(byName('MeshKitRebalanceShardFlapping')[0].expr).toContain('offset 1m');
      expect(byName('MeshKitRebalancePlanStuck')[0].expr).toMatch(/> 15$/);
      expect(byName('MeshKitRebalanceRepeatedFailures')[0].expr).toContain('[15s]');
      expect(byName('MeshKitRebalanceRepeatedFailures')[0].expr).toContain('offset 15s');
      expect(byName('MeshKitRebalanceControllerHeartbeatMissing').map((r) => r.for)).toEqual(['1s', '2s']);
      expect(byName('MeshKitRebalanceControllerHeartbeatMissing')[0].expr).toMatch(/> 0\.25$/);
      expect(byName('MeshKitRebalanceControllerHeartbeatMissing')[1].expr).toContain('[1m]');
      // Recorded names keep their unscaled windows; their ranges shrink.
      const moves = recording.rules.find((r) => r.record === RECORDED.movesByOutcomeRate);
      expect(moves?.expr).toContain('[5s]');
      // Annotations describe the thresholds in force.
      expect(byName('MeshKitRebalancePlanStuck')[0].annotations.description).toContain('(limit 15s)');
    });

    it('renderRules() with the defaults is the checked-in file', () => {
      expect(renderRules({ timeScale: 1 })).toBe(renderRules());
    });
  });
});

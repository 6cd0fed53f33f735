/** The preview renderer's pure parts and the render verb's argument errors; no stack, no browser. */
import { main } from '../../src/cli/main';
import { formatted, formatTicks } from '../../src/render/format';
import { alertAsRecordingRule, backfillRulesOf, ruleLevels } from '../../src/render/history';
import { formatInterval, panelInterval, rateInterval, roundInterval, substituteVariables } from '../../src/render/variables';
import { ruleFiles } from '../../src/stack/configs';
import { RECORDED } from '../../src/alerting/recording-rules';

describe('template variables, as Grafana substitutes them', () => {
  const time = { fromMs: 0, toMs: 3 * 3600_000, intervalMs: 15_000, scrapeIntervalMs: 15_000 };

  it('replaces dashboard variables and the interval and range builtins', () => {
    const expr = 'sum(increase(x{namespace=~"$namespace", cluster=~"${cluster}"}[$__rate_interval])) / $__range_s + y[$__range] offset $__interval';
    expect(substituteVariables(expr, { namespace: '.*', cluster: '.*' }, time)).toBe('sum(increase(x{namespace=~".*", cluster=~".*"}[60s])) / 10800 + y[10800s] offset 15s');
  });

  it('leaves unknown variables alone', () => {
    expect(substituteVariables('x{a="$unknown"}', {}, time)).toBe('x{a="$unknown"}');
  });

  it('computes $__interval from the range and the panel width, never below the scrape interval', () => {
    expect(roundInterval(13_846)).toBe(15_000);
    expect(panelInterval(0, 3 * 3600_000, 780, 15_000)).toBe(15_000);
    expect(panelInterval(0, 24 * 3600_000, 780, 15_000)).toBe(120_000);
    expect(panelInterval(0, 3 * 3600_000, 780, 60_000)).toBe(60_000);
    expect(rateInterval(15_000, 15_000)).toBe(60_000);
    expect(rateInterval(120_000, 15_000)).toBe(135_000);
    expect([15_000, 60_000, 135_000, 7200_000, 500].map(formatInterval)).toEqual(['15s', '1m', '135s', '2h', '500ms']);
  });
});

describe('unit formatting', () => {
  it('writes values as Grafana does', () => {
    expect(formatted(0.953, 'percentunit')).toBe('95.3%');
    expect(formatted(1, 'percentunit', 1)).toBe('100.0%');
    expect(formatted(90, 's')).toBe('1.50 min');
    expect(formatted(4.17, 's')).toBe('4.17 s');
    expect(formatted(0.87, 's')).toBe('870 ms');
    expect(formatted(1234, 'short')).toBe('1.23 K');
    expect(formatted(111, 'short', 0)).toBe('111');
  });

  it('labels axis ticks with the decimals their spacing needs', () => {
    expect(formatTicks([0, 500, 1000, 1500], 'short')).toEqual(['0', '500', '1.0 K', '1.5 K']);
    expect(formatTicks([0, 0.25, 0.5], 'percentunit')).toEqual(['0%', '25%', '50%']);
    expect(formatTicks([0, 600, 1200], 's')).toEqual(['0 s', '10 min', '20 min']);
  });
});

describe('rule backfill', () => {
  it("turns an alerting rule into the recording rule of its firing ALERTS series, `for` included", () => {
    const rule = alertAsRecordingRule({ alert: 'X', expr: 'up == 0', for: '5m', labels: { severity: 'page' } }, 15_000);
    expect(rule).toEqual({
      record: 'ALERTS',
      expr: '(count_over_time((up == 0)[315s:15s]) >= 21) * 0 + 1',
      labels: { alertname: 'X', alertstate: 'firing', severity: 'page' },
    });
    expect(alertAsRecordingRule({ alert: 'Y', expr: 'up == 0' }, 15_000).expr).toBe('(up == 0) * 0 + 1');
  });

  it('orders the shipped rules in levels, each reading only what earlier levels recorded', () => {
    const levels = ruleLevels(backfillRulesOf(ruleFiles(), 15_000));
    expect(levels.length).toBe(2);
    expect(levels[1]!.map((r) => r.record).sort()).toEqual(
      [RECORDED.planSuccessRatio, 'namespace_cluster:meshkit_rebalance_moves:rate5m', 'namespace_cluster:meshkit_rebalance_shards_in_flight_per_max_concurrent_moves:ratio'].sort(),
    );
    expect(levels[0]!.filter((r) => r.record === 'ALERTS').length).toBeGreaterThanOrEqual(10);
  });
});

describe('meshkit-rebalance-obs render, wrong usage', () => {
  let stderr: string;
  let spy: jest.SpyInstance;
  beforeEach(() => {
    stderr = '';
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it.each([
    [['--view', 'both'], /--view must be exec or oncall/],
    [['--scenario', 'nope'], /unknown scenario "nope"/],
    [['--colour'], /unknown option --colour/],
    [['exec'], /unexpected argument "exec"/],
  ])('render %j exits 2 with one sentence', async (args, message) => {
    expect(await main(['render', ...args])).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 with one sentence when the browser it is told to use is missing', async () => {
    process.env.MESHKIT_CHROMIUM = '/nonexistent/chromium';
    try {
      expect(await main(['render', '--view', 'exec', '--out', '/nonexistent-out'])).toBe(2);
    } finally {
      delete process.env.MESHKIT_CHROMIUM;
    }
    expect(stderr).toMatch(/no Chromium at \/nonexistent\/chromium/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

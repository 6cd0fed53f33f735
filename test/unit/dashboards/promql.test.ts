import { ALERT_NAMES } from '../../../src/alerting/config';
import { RECORDED } from '../../../src/alerting/recording-rules';
import { ALERT_NAME_PATTERN } from '../../../src/dashboards/alerts';
import { checkPromql, checkVariableQuery, outputLabels, seriesCatalog, substituteGrafanaVariables } from '../../../src/dashboards/promql-check';
import { Q } from '../../../src/dashboards/queries';
import { dashboards } from '../../../src/dashboards/render';
import { LABELS, METRICS } from '../../../src/schema';

const catalog = seriesCatalog();
const scope = 'namespace=~"$namespace", cluster=~"$cluster"';
const plans = `${METRICS.plans.name}{${scope}}`;
const moveBuckets = `${METRICS.moveDuration.name}_bucket{${scope}}`;

describe('PromQL of the dashboards', () => {
  it.each(Object.entries(Q))('%s parses and reads only schema series, labels and values', (_key, expr) => {
    expect(checkPromql(expr, catalog).errors).toEqual([]);
  });

  it('is every expression of the generated dashboards (targets, annotations), each used', () => {
    const used = new Set<string>();
    for (const d of Object.values(dashboards())) {
      for (const p of d.panels ?? []) for (const t of ('targets' in p ? p.targets ?? [] : []) as unknown as { expr: string }[]) used.add(t.expr);
      for (const a of d.annotations?.list ?? []) used.add(a.expr!);
      for (const v of d.templating?.list ?? []) if (v.type === 'query') expect(checkVariableQuery(String(v.query), catalog).errors).toEqual([]);
    }
    expect([...used].sort()).toEqual([...new Set(Object.values(Q))].sort());
  });

  it('substitutes Grafana interval and range variables, and only those', () => {
    expect(substituteGrafanaVariables('rate(x[$__rate_interval]) / $__range_s + y{a=~"$namespace"}[$__interval] offset ${__range}')).toBe(
      'rate(x[60s]) / 3600 + y{a=~"$namespace"}[15s] offset 1h',
    );
  });

  it.each([
    ['a parse error', `${plans} +`, /does not parse/],
    ['a variable outside a string', `${METRICS.plans.name}{namespace=~$namespace}`, /does not parse/],
    ['an unknown series', `sum(${METRICS.plans.name}_typo)`, /unknown series/],
    ['a selector without a name', `{${scope}}`, /without a metric name/],
    ['a label the series lacks', `${METRICS.plans.name}{node="a"}`, /has no label "node"/],
    ['a value outside the enum', `${METRICS.plans.name}{state="running"}`, /not a value of "state"/],
    ['an enum value in a regex list', `${METRICS.plansTotal.name}{outcome=~"completed|succeeded"}`, /"succeeded" is not a value/],
    ['the other state enum', `${METRICS.plans.name}{state="steady"}`, /not a value of "state"/],
    ['a grouping label no series has', `sum by (node) (${plans})`, /grouping label "node"/],
    ['an on() label no series has', `${plans} / on (plan) ${plans}`, /grouping label "plan"/],
    ['rate of an instant vector', `rate(${plans})`, /needs a range vector/],
    ['histogram_quantile without buckets', `histogram_quantile(0.9, ${plans})`, /no _bucket series/],
    ['histogram_quantile dropping le', `histogram_quantile(0.9, sum(rate(${moveBuckets}[5m])))`, /drops "le"/],
    ['histogram_quantile grouping without le', `histogram_quantile(0.9, sum by (outcome) (rate(${moveBuckets}[5m])))`, /drops "le"/],
  ])('rejects %s', (_what, expr, message) => {
    const { errors } = checkPromql(expr, catalog);
    expect(errors.join('\n')).toMatch(message);
  });

  it('accepts regex matchers that are patterns, and variables inside strings', () => {
    expect(checkPromql(`${METRICS.plansTotal.name}{outcome=~"comp.*", ${scope}}`, catalog).errors).toEqual([]);
    expect(checkPromql(`label_replace(${plans}, "dst", "$1", "state", "(.*)") and on (dst) ${plans}`, catalog).errors).toEqual([]);
  });

  it('checks label_values() variable queries', () => {
    expect(checkVariableQuery(`label_values(${METRICS.heartbeat.name}, namespace)`, catalog).errors).toEqual([]);
    expect(checkVariableQuery(`label_values(${METRICS.heartbeat.name}, plan_id)`, catalog).errors.join()).toMatch(/has no label "plan_id"/);
    expect(checkVariableQuery('label_values(namespace)', catalog).errors.join()).toMatch(/reads every series/);
    expect(checkVariableQuery('query_result(up)', catalog).errors.join()).toMatch(/not a label_values/);
  });

  it('knows the recorded series of src/alerting with the labels their rules produce', () => {
    expect([...catalog.get(RECORDED.plansByState)!.keys()]).toEqual(['namespace', 'cluster', 'state']);
    expect(catalog.get(RECORDED.plansByState)!.get('state')).toEqual(LABELS.planState.domain.kind === 'enum' ? LABELS.planState.domain.values : null);
    expect([...catalog.get(RECORDED.planSuccessRatio)!.keys()]).toEqual(['namespace', 'cluster']);
    expect(checkPromql(`${RECORDED.plansByState}{state="steady"}`, catalog).errors.join()).toMatch(/not a value/);
  });

  it('infers output labels through aggregations, functions and binary operators', () => {
    const labels = (e: string) => [...(outputLabels(e, catalog)?.keys() ?? [])].sort();
    expect(labels(`sum by (namespace) (rate(${METRICS.plansTotal.name}[5m]))`)).toEqual(['namespace']);
    expect(labels(`histogram_quantile(0.9, sum by (le, outcome) (rate(${moveBuckets}[5m])))`)).toEqual(['outcome']);
    // Raw series carry their scrape target's job and instance.
    expect(labels(`time() - ${METRICS.approvalOldestPending.name}`)).toEqual(['cluster', 'instance', 'job', 'namespace']);
    expect(labels(`${METRICS.shardsInFlight.name} / on (namespace, cluster) group_left (state) ${METRICS.plans.name}`)).toEqual(['cluster', 'instance', 'job', 'namespace', 'state']);
    expect(outputLabels('nosuch', catalog)).toBeNull();
  });

  it('matches every alert of src/alerting with the alerts panel pattern', () => {
    const pattern = new RegExp(`^(?:${ALERT_NAME_PATTERN})$`);
    for (const name of ALERT_NAMES) expect(name).toMatch(pattern);
  });
});

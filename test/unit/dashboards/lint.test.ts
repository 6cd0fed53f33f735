import { LINT_RULES, lintDashboard, type LintDashboard, type LintPanel, type LintRuleName } from '../../../src/dashboards/lint';
import { seriesCatalog } from '../../../src/dashboards/promql-check';
import { dashboards } from '../../../src/dashboards/render';
import { METRICS } from '../../../src/schema';

const catalog = seriesCatalog();
const generated = dashboards() as unknown as Record<string, LintDashboard>;
const fresh = (): LintDashboard => JSON.parse(JSON.stringify(generated.oncall)) as LintDashboard;
/** The first panel that is not a row, with its targets. */
const firstPanel = (d: LintDashboard): LintPanel => d.panels!.find((p) => p.type !== 'row' && (p.targets?.length ?? 0) > 0)!;

/** One deliberately broken dashboard per rule: each rule must be able to fail. */
const BREAKERS: Record<LintRuleName, (d: LintDashboard) => void> = {
  'template-datasource': (d) => {
    d.templating!.list = d.templating!.list!.filter((v) => v.name !== 'datasource');
  },
  'template-scope-variables': (d) => {
    d.templating!.list!.find((v) => v.name === 'cluster')!.multi = false;
  },
  'panel-datasource': (d) => {
    firstPanel(d).datasource = { type: 'prometheus', uid: 'meshkit-prometheus' };
  },
  'target-datasource': (d) => {
    delete firstPanel(d).targets![0]!.datasource;
  },
  'annotation-datasource': (d) => {
    d.annotations!.list![0]!.datasource = { type: 'prometheus', uid: 'meshkit-prometheus' };
  },
  'target-scope': (d) => {
    firstPanel(d).targets![0]!.expr = `sum(${METRICS.plans.name}{namespace=~"$namespace"})`;
  },
  'panel-unit': (d) => {
    delete firstPanel(d).fieldConfig!.defaults!.unit;
  },
  'panel-description': (d) => {
    firstPanel(d).description = ' ';
  },
  'panel-unique-id': (d) => {
    const [a, b] = d.panels!.filter((p) => p.type !== 'row');
    b!.id = a!.id;
  },
  'panel-targets': (d) => {
    firstPanel(d).targets = [];
  },
  'promql-valid': (d) => {
    firstPanel(d).targets![0]!.expr = `sum by (node) (${METRICS.plans.name}{namespace=~"$namespace", cluster=~"$cluster"})`;
  },
  'range-variable': (d) => {
    firstPanel(d).targets![0]!.expr = `sum(rate(${METRICS.plansTotal.name}{namespace=~"$namespace", cluster=~"$cluster"}[5m]))`;
  },
  'grid-layout': (d) => {
    const [a, b] = d.panels!.filter((p) => p.type !== 'row');
    b!.gridPos = { ...a!.gridPos! };
  },
};

describe('dashboard lint', () => {
  it.each(Object.entries(generated))('%s passes every rule', (_name, dashboard) => {
    expect(lintDashboard(dashboard, catalog)).toEqual([]);
  });

  it('has a failing case for every rule', () => {
    expect(Object.keys(BREAKERS).sort()).toEqual(Object.keys(LINT_RULES).sort());
  });

  it.each(Object.keys(BREAKERS) as LintRuleName[])('%s fails on a dashboard that breaks it', (rule) => {
    const d = fresh();
    BREAKERS[rule](d);
    const problems = lintDashboard(d, catalog);
    expect(problems.filter((p) => p.rule === rule)).not.toEqual([]);
  });

  it('reports where and why', () => {
    const d = fresh();
    BREAKERS['panel-unit'](d);
    const p = firstPanel(d);
    expect(lintDashboard(d, catalog)).toEqual([{ rule: 'panel-unit', where: `panel ${p.id} "${p.title}"`, message: 'no unit (fieldConfig.defaults.unit)' }]);
  });

  it('lints the panels inside collapsed rows too', () => {
    const d = fresh();
    const row = d.panels!.find((p) => p.type === 'row')!;
    const panel = JSON.parse(JSON.stringify(firstPanel(d))) as LintPanel;
    panel.id = 9999;
    panel.description = '';
    row.panels = [panel];
    expect(lintDashboard(d, catalog).map((p) => p.rule)).toEqual(['panel-description']);
  });
});

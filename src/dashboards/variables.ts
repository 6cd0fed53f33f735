/** Template variables: the Prometheus data source, namespace and cluster (multi-value, All), and plan id. */
import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { METRICS } from '../schema/metrics';
import { DATASOURCES } from './ids';
import { byVariable, VARS } from './promql';
import { L, type LabelSpec } from '../schema/labels';

/** What every panel, target and annotation names as its data source: the `datasource` variable. */
export const PROMETHEUS = { type: DATASOURCES.prometheus.type, uid: `\${${VARS.datasource}}` };

/** Matches every value when "All" is selected. */
export const ALL_VALUE = '.*';

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(VARS.datasource)
    .label('Data source')
    .type(DATASOURCES.prometheus.type)
    .current({ selected: true, text: DATASOURCES.prometheus.name, value: DATASOURCES.prometheus.uid });
}

/** `label_values(selector, label)`: Grafana's Prometheus variable query. */
export function labelValues(selector: string, label: LabelSpec): string {
  return `label_values(${selector}, ${label.name})`;
}

/** `{namespace=~"$namespace", ...}`: a variable's query filtered by the variables before it. */
function filter(...labels: LabelSpec[]): string {
  const matchers = labels.map((l) => byVariable(l, l.name)).map((m) => `${m.label.name}${m.op}${JSON.stringify(m.value)}`);
  return `{${matchers.join(', ')}}`;
}

function multiValue(name: string, label: string, query: string, description: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(PROMETHEUS)
    .query(query)
    .multi(true)
    .includeAll(true)
    .allValue(ALL_VALUE)
    .current({ selected: true, text: ['All'], value: ['$__all'] })
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

/** Namespaces and clusters come from the heartbeat: one series per running controller. */
export function namespaceVariable(): QueryVariableBuilder {
  return multiValue(VARS.namespace, 'Namespace', labelValues(METRICS.heartbeat.name, L.namespace), 'MeshKit namespaces with a running rebalance controller.');
}

export function clusterVariable(): QueryVariableBuilder {
  return multiValue(
    VARS.cluster,
    'Cluster',
    labelValues(`${METRICS.heartbeat.name}${filter(L.namespace)}`, L.cluster),
    'Clusters of the selected namespaces with a running rebalance controller.',
  );
}

/** Live plans only: `plan_id` leaves the scrape when a plan ends. */
export function planIdVariable(): QueryVariableBuilder {
  return multiValue(
    VARS.planId,
    'Plan',
    labelValues(`${METRICS.planState.name}${filter(L.namespace, L.cluster)}`, L.planId),
    'Live plans of the selected clusters; filters the plan queue.',
  );
}

/**
 * Links from panels to traces. One trace per plan; the plan id is the span attribute
 * `meshkit.plan.id` on plan and move spans. Grafana opens the Jaeger data source in Explore;
 * without Grafana, `meshkit-rebalance-obs trace <planId>` prints the same trace.
 */
import { ATTR, SERVICE_NAME, SPANS } from '../schema/spans';
import { MOVE_PHASES, type MovePhase } from '../schema/enums';
import { DATASOURCES } from './ids';


/** The CLI's equivalent of a plan trace link. */
export const traceCommand = (planId: string): string => `meshkit-rebalance-obs trace ${planId}`;

/** Grafana's Jaeger query model for a trace search. */
export interface JaegerSearch {
  queryType: 'search';
  service: string;
  operation?: string;
  /** logfmt: `key=value key2=value2`. */
  tags?: string;
  minDuration?: string;
  limit?: number;
}

/** A Grafana data link that opens a Jaeger search in Explore. */
export interface InternalDataLink {
  title: string;
  url: '';
  internal: { datasourceUid: string; datasourceName: string; query: JaegerSearch };
}

/**
 * Internal links name the provisioned Jaeger uid itself: Grafana does not interpolate template
 * variables in an internal link's data source when it opens Explore.
 */
export function jaegerSearch(title: string, query: Omit<JaegerSearch, 'queryType' | 'service'>): InternalDataLink {
  return {
    title,
    url: '',
    internal: {
      datasourceUid: DATASOURCES.jaeger.uid,
      datasourceName: DATASOURCES.jaeger.name,
      query: { queryType: 'search', service: SERVICE_NAME, limit: 20, ...query },
    },
  };
}

/** On a table's `plan_id` column: the plan's trace (`${__value.raw}` is the cell). */
export function planTraceLink(): InternalDataLink {
  return jaegerSearch(`Trace of plan \${__value.raw} (${traceCommand('${__value.raw}')})`, {
    tags: `${ATTR.planId}=\${__value.raw}`,
  });
}

/** On a move-duration quantile: moves slower than the point clicked. */
export function slowMoveLink(): InternalDataLink {
  return jaegerSearch('Moves slower than ${__value.text}', { operation: SPANS.move, minDuration: '${__value.raw}s' });
}

/** The span name of each move phase. */
export const PHASE_SPANS: Record<MovePhase, string> = Object.fromEntries(MOVE_PHASES.map((p) => [p, SPANS[p]])) as Record<MovePhase, string>;

/** On a phase-duration quantile (series labelled by phase): that phase's spans slower than the point. */
export function slowPhaseLink(phase: MovePhase): InternalDataLink {
  return jaegerSearch(`${phase} phases slower than \${__value.text}`, { operation: PHASE_SPANS[phase], minDuration: '${__value.raw}s' });
}

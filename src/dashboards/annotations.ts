/** Dashboard annotations: plans starting (or resuming) execution, and plans ending, by outcome. */
import { AnnotationQueryBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { L } from '../schema/labels';
import { Q } from './queries';
import { PROMETHEUS } from './variables';

const tags = (...labels: { name: string }[]) => labels.map((l) => l.name).join(',');

export function planAnnotations(): AnnotationQueryBuilder[] {
  return [
    new AnnotationQueryBuilder()
      .name('Plan started')
      .datasource(PROMETHEUS)
      .enable(true)
      .iconColor('blue')
      .expr(Q.annotationPlanStarted)
      .step('$__interval')
      .titleFormat(`Plan {{${L.planId.name}}} executing`)
      .tagKeys(tags(L.namespace, L.cluster, L.planId))
      .textFormat(`{{${L.namespace.name}}}/{{${L.cluster.name}}}`)
      .useValueForTime(false),
    new AnnotationQueryBuilder()
      .name('Plan ended')
      .datasource(PROMETHEUS)
      .enable(true)
      .iconColor('purple')
      .expr(Q.annotationPlanEnded)
      .step('$__interval')
      .titleFormat(`Plan {{${L.planOutcome.name}}}`)
      .tagKeys(tags(L.namespace, L.cluster, L.planOutcome))
      .textFormat(`{{${L.namespace.name}}}/{{${L.cluster.name}}}: {{value}} plan(s)`)
      .useValueForTime(false),
  ];
}

/** A controller's tracer provider as the SDK builds it (batching, OTLP/HTTP), with span processors of the test's in front. */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SERVICE_NAME } from '../../../src/schema';

export function otlpTracerProvider(otlpHttp: string, instance: string, before: SpanProcessor[] = []): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME, 'service.instance.id': instance }),
    spanProcessors: [
      ...before,
      // A queue deep enough for a scenario at many times real speed: a span dropped here would be one the test counts as sent.
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpHttp}/v1/traces` }), { maxQueueSize: 65_536, maxExportBatchSize: 2_048, scheduledDelayMillis: 500 }),
    ],
  });
}

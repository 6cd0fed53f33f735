/** One span as the timeline needs it, whatever backend it came from. Times in microseconds. */
export interface TimelineSpan {
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  startUs: number;
  durationUs: number;
  attributes: Record<string, string | number | boolean>;
  error: boolean;
  /** The span's events (Jaeger's logs), in time order. */
  events?: TimelineEvent[];
  traceId?: string;
}

export interface TimelineEvent {
  name: string;
  atUs: number;
  attributes: Record<string, string | number | boolean>;
}

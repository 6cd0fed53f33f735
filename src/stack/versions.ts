/**
 * Every version of the observability stack, pinned in one place. The builder manifest
 * (otel-collector/manifest.yaml) and the Jaeger wrapper module (otel-collector/jaeger-build/go.mod)
 * repeat the Collector and Jaeger versions because Go needs them there; the installer refuses to build
 * when they disagree with this file.
 *
 * Each pin is a release that builds from the Go module proxy and that the approved-versions list
 * allows; `STACK_PARTS` says why each one and is rendered into docs/operator-guide/stack-parts.md.
 */

/** OpenTelemetry Collector Builder (ocb) and every Collector component in the manifest. */
export const COLLECTOR_VERSION = 'v0.161.0';
/** Prometheus 3 server and promtool, from the Go module's v0 tag. */
export const PROMETHEUS_VERSION = 'v0.316.0';
/** Alertmanager and amtool (Microsoft Teams and PagerDuty receivers). */
export const ALERTMANAGER_VERSION = 'v0.28.1';
/**
 * Jaeger v2 (a Collector distribution): memory storage, OTLP in, HTTP query API. v1.75.0 is the
 * newest approved release; newer module tags are served but are not approved releases.
 */
export const JAEGER_VERSION = 'v1.75.0';

/**
 * Thanos (sidecar and query) for the fleet topology only, built by ensureThanos() from the wrapper
 * module otel-collector/thanos-build. v0.41.0 builds with Go 1.26.8; v0.42.5 declares Go 1.26.10,
 * which would need another toolchain for that one build. Measured 2026-12-03 on the shared 2-core
 * machine under load: `go mod tidy` 176 s, a cold `go build` 1,381 s; with the release tags
 * (THANOS_BUILD_TAGS, which change nearly every package) 900 s with the module cache warm.
 */
export const THANOS_VERSION = 'v0.41.0';

/**
 * Prometheus' service-discovery plugins carry `//go:build !remove_all_sd || enable_<name>_sd`; the
 * stack uses static targets and the OTLP receiver only, so leaving them (and their cloud SDKs) out
 * cuts a cold build from about 490 s to about 170 s.
 */
export const PROMETHEUS_BUILD_TAGS = 'remove_all_sd';

/** Prometheus v0.316.0 declares `go 1.26.7`; the other modules need less. */
export const MIN_GO_VERSION = '1.26.7';

/** Checksum-database entries the proxy here lacks for Jaeger's dependencies; go.sum pins their hashes. */
export const JAEGER_GONOSUMDB = 'go.opentelemetry.io/collector,github.com/open-telemetry/opentelemetry-collector-contrib';

/**
 * Thanos' release build tags (its .promu.yml): `slicelabels` is required, because Thanos reads
 * Prometheus' label sets as slices; without it a sidecar panics on its first gRPC answer.
 */
export const THANOS_BUILD_TAGS = 'netgo,slicelabels';

/** Thanos replaces a few modules with forks that have no checksum-database entries; go.sum pins their hashes. */
export const THANOS_GONOSUMDB = 'github.com/thanos-community,github.com/themihai,github.com/zenhack,github.com/alecthomas/kingpin';

export const BUILDER_MODULE = 'go.opentelemetry.io/collector/cmd/builder';
export const PROMETHEUS_MODULE = 'github.com/prometheus/prometheus';
export const ALERTMANAGER_MODULE = 'github.com/prometheus/alertmanager';
export const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
export const JAEGER_PACKAGE = `${JAEGER_MODULE}/cmd/jaeger`;
export const THANOS_MODULE = 'github.com/thanos-io/thanos';
export const THANOS_PACKAGE = `${THANOS_MODULE}/cmd/thanos`;

/** One part of the local stack as the docs list it. */
export interface StackPart {
  part: string;
  module: string;
  version: string;
  why: string;
}

export const STACK_PARTS: readonly StackPart[] = [
  {
    part: 'Collector builder (ocb)',
    module: BUILDER_MODULE,
    version: COLLECTOR_VERSION,
    why: 'builds the Collector from otel-collector/manifest.yaml; v0.165.0 is not complete on the module proxy (its prometheus and loadbalancing exporters are missing)',
  },
  {
    part: 'Collector (agent and gateway)',
    module: 'otel-collector/manifest.yaml',
    version: COLLECTOR_VERSION,
    why: 'every component at the builder version; one `replaces` line for a dependency version the proxy lacks',
  },
  {
    part: 'Prometheus 3 and promtool',
    module: PROMETHEUS_MODULE,
    version: PROMETHEUS_VERSION,
    why: `native OTLP receiver, remote-write receiver, exemplar storage; built with \`-tags ${PROMETHEUS_BUILD_TAGS}\` (the stack uses no service discovery) and stripped (\`-ldflags=-s -w\`), the server and promtool as two parts so the demo waits for the server only; no web UI in the module`,
  },
  {
    part: 'Alertmanager and amtool',
    module: ALERTMANAGER_MODULE,
    version: ALERTMANAGER_VERSION,
    why: 'Microsoft Teams and PagerDuty receivers; newer tags are fetchable but v0.34.2 does not build from the module (its UI assets are not in it)',
  },
  {
    part: 'Jaeger v2 (trace backend)',
    module: JAEGER_MODULE,
    version: JAEGER_VERSION,
    why: 'the newest approved release (newer module tags are served but not approved); memory storage, OTLP in, query API; built from otel-collector/jaeger-build/ with its committed go.sum',
  },
  {
    part: 'Thanos (fleet topology only)',
    module: THANOS_MODULE,
    version: THANOS_VERSION,
    why: `sidecars and a deduplicating global query for \`fleet up\`, built only when the fleet is asked for; built with \`-tags ${THANOS_BUILD_TAGS}\` (without \`slicelabels\` sidecars crash answering Query) from otel-collector/thanos-build/ with its committed go.sum; v0.42.5 needs a newer Go than this toolchain`,
  },
];

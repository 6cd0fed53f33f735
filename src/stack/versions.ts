/**
 * Every version of the observability stack, pinned in one place. The builder manifest
 * (otel-collector/manifest.yaml) and the Jaeger wrapper module (otel-collector/jaeger-build/go.mod)
 * repeat the Collector and Jaeger versions because Go needs them there; the installer refuses to build
 * when they disagree with this file.
 *
 * Each pin is the newest release that the Go module proxy reachable here serves completely
 * (see the shared README, "Building the real parts here").
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

/** docs/operator-guide/stack-parts.md: the local stack's parts, their pinned versions and why, from src/stack/versions.ts. */
import { MIN_GO_VERSION, STACK_PARTS } from '../stack/versions';
import { cell, code, table } from './markdown';

export const STACK_REFERENCE_FILE = 'docs/operator-guide/stack-parts.md';

export function renderStackReference(): string {
  const rows = STACK_PARTS.map((p) => [cell(p.part), code(p.module), code(p.version), cell(p.why)]);
  return [
    '<!-- Generated from src/stack/versions.ts by `npm run generate`; do not edit. -->',
    '# The local stack: parts and versions',
    '',
    `\`meshkit-rebalance-obs stack install\` builds each part from its Go module with Go ${MIN_GO_VERSION} or later,`,
    'caches the binaries outside the work tree (`$MESHKIT_OBS_CACHE_DIR`, else',
    '`${XDG_CACHE_HOME:-~/.cache}/meshkit-rebalance-obs`) keyed by version and build inputs, and links them',
    'into `.stack/bin/`. Parts that do not depend on each other build at the same time; parts off the',
    'longest chain (builder, then Collector) build at lower CPU priority. Each part prints one line with',
    'its time against the last build here, and the install ends with the total.',
    '',
    'The demo does not wait for the whole install: it starts its tour once the metrics path (builder,',
    'Collector, Prometheus) is there; Alertmanager, Jaeger and promtool build after it at lower priority.',
    'Each backend is started as soon as it is built: meanwhile Prometheus re-sends its firing alerts every',
    '5 s and the Collector retries its spans for up to 30 minutes, so the first alerts and the traces of',
    'the first plans still arrive; the live screen says what is still building.',
    '',
    ...table(['part', 'module', 'version', 'why this version'], rows),
    '',
  ].join('\n');
}

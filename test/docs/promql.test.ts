/**
 * PromQL in the docs names real things: every ```promql block parses with Prometheus's grammar and
 * reads only series, labels and enum values the schema (or the recording rules, or Prometheus's
 * `ALERTS`) has; every `meshkit_…` name spelled anywhere in the docs is a metric of the schema.
 */
import { checkPromql, seriesCatalog, type Catalog } from '../../src/dashboards';
import { METRIC_LIST, SPAN_METRIC_LIST } from '../../src/schema';
import { fences, markdownFiles, read } from './markdown';

/** The schema's series, plus the labels Prometheus adds to every one of them (`job`, `instance`). */
function catalogWithTargetLabels(): Catalog {
  const out = new Map<string, ReadonlyMap<string, readonly string[] | null>>();
  for (const [name, labels] of seriesCatalog()) out.set(name, new Map([...labels, ['job', null], ['instance', null]]));
  return out;
}

const catalog = catalogWithTargetLabels();
const blocks = markdownFiles().flatMap((file) => fences(file).filter((f) => f.lang === 'promql'));

describe('PromQL in the docs', () => {
  it('finds the blocks (runbooks, dashboards, alert table, tuning)', () => {
    const files = new Set(blocks.map((b) => b.file.split('/').slice(0, 2).join('/')));
    for (const dir of ['docs/runbooks', 'docs/observability', 'docs/operator-guide']) expect(files).toContain(dir);
    expect(blocks.length).toBeGreaterThan(60);
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('%s parses and names known series', (_, block) => {
    expect(checkPromql(block.body, catalog).errors).toEqual([]);
  });
});

describe('metric names spelled in the docs', () => {
  const names = new Set<string>();
  for (const m of [...METRIC_LIST, ...SPAN_METRIC_LIST]) {
    names.add(m.name);
    if (m.kind === 'counter') names.add(m.name.replace(/_total$/, '')); // the OpenTelemetry name, before export
    if (m.kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
  }

  it.each(markdownFiles())('%s: every meshkit_… name is a schema metric', (file) => {
    const text = read(file);
    const unknown = new Set<string>();
    // Prose (code spans included) and every block but shell ones, whose lines are checked elsewhere.
    const visible = [text.replace(/```[\s\S]*?```/g, ''), ...fences(file, text).filter((f) => f.lang !== 'sh').map((f) => f.body)].join('\n');
    for (const m of visible.matchAll(/(?<![A-Za-z0-9_:.-])meshkit_[a-z0-9_]*[a-z0-9]\b(?![:*])/g)) {
      if (!names.has(m[0])) unknown.add(m[0]);
    }
    expect([...unknown]).toEqual([]);
  });
});

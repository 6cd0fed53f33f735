/**
 * Expands the alert annotation templates the rules use, as Prometheus would, for the expected
 * annotations of the generated promtool tests. Only the forms the rules write are known; anything
 * else is a generator bug and throws, so a new form cannot slip into a test unexpanded.
 */

/** Prometheus's `humanizeDuration`. */
export function humanizeDuration(v: number): string {
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const s = Math.trunc(Math.abs(v));
    const [d, h, m, sec] = [Math.trunc(s / 86400), Math.trunc(s / 3600) % 24, Math.trunc(s / 60) % 60, s % 60];
    if (d) return `${sign}${d}d ${h}h ${m}m ${sec}s`;
    if (h) return `${sign}${h}h ${m}m ${sec}s`;
    if (m) return `${sign}${m}m ${sec}s`;
    return `${sign}${goG4(Math.abs(v))}s`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG4(v)}${prefix}s`;
}

/** Go's `%.4g` for the magnitudes a duration has here (no exponent form below 1e4). */
const goG4 = (v: number) => String(Number(v.toPrecision(4)));

/** Go's `%q` of a label value (the values the tests use are plain ASCII). */
const goQuote = (value: string) => JSON.stringify(value);

export interface TemplateData {
  labels: Readonly<Record<string, string>>;
  value: number;
  /** What a templated `query` returns, by the metric it reads; a query of another metric throws. */
  queries?: Readonly<Record<string, number>>;
}

const LABEL = /\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g;
const DURATION = /\{\{ \$value \| humanizeDuration \}\}/g;
const COUNT = /\{\{ printf "%\.0f" \$value \}\}/g;
/** `{{ with printf "sum(m{a=%q, b=%q})" $labels.a $labels.b | query }}{{ . | first | value | printf "%.0f" }}{{ end }}` */
const QUERY = /\{\{ with printf "((?:[^"\\]|\\.)*)"((?: \$labels\.[a-zA-Z_][a-zA-Z0-9_]*)+) \| query \}\}\{\{ \. \| first \| value \| printf "%\.0f" \}\}\{\{ end \}\}/g;
const QUERIED_METRIC = /^(?:sum|max|min)\(([a-zA-Z_:][a-zA-Z0-9_:]*)\{/;

function label(labels: Readonly<Record<string, string>>, name: string): string {
  if (!Object.hasOwn(labels, name)) throw new Error(`the template reads $labels.${name}, which the alert does not carry`);
  return labels[name];
}

function queryResult(format: string, args: string, data: TemplateData): string {
  const names = args.trim().split(' ').map((a) => a.replace(/^\$labels\./, ''));
  const query = names.reduce((q, name) => q.replace('%q', goQuote(label(data.labels, name))), JSON.parse(`"${format}"`) as string);
  const metric = QUERIED_METRIC.exec(query)?.[1];
  const result = metric === undefined ? undefined : data.queries?.[metric];
  if (result === undefined) throw new Error(`no result given for the templated query ${query}`);
  return result.toFixed(0);
}

/** `template` with every known form expanded from `data`. */
export function expandTemplate(template: string, data: TemplateData): string {
  const out = template
    .replace(QUERY, (_, format: string, args: string) => queryResult(format, args, data))
    .replace(LABEL, (_, name: string) => label(data.labels, name))
    .replace(DURATION, humanizeDuration(data.value))
    .replace(COUNT, data.value.toFixed(0));
  if (out.includes('{{')) throw new Error(`cannot expand the template ${JSON.stringify(template)}`);
  return out;
}

/**
 * Reading site.yaml: YAML or JSON, checked against the shipped JSON Schema with ajv and then for
 * what a schema cannot say (one scope per override, distinct label names). Every problem is one
 * sentence naming the path, what was given and what is allowed; an unknown key is an error.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../cli/user-error';
import { THRESHOLDS_LABEL } from './rules';
import { siteConfigSchema } from './schema';
import type { SiteConfig } from './types';

/** A site configuration that does not validate; exit code 2. */
export class SiteConfigError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'SiteConfigError';
  }
}

let compiled: ReturnType<Ajv['compile']> | undefined;
function validator() {
  compiled ??= new Ajv({ allErrors: false, strict: true, useDefaults: false }).compile(siteConfigSchema());
  return compiled;
}

/** `thresholds.planStuck.for`, `overrides[1].namespace`; `(top level)` for the root. */
function dotted(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  const out = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return out || '(top level)';
}

function valueAt(data: unknown, instancePath: string): unknown {
  return instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), data);
}

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value));

/** The schema node an error's `schemaPath` points at (for the keys an object allows). */
function schemaAt(schemaPath: string): Record<string, unknown> {
  return schemaPath
    .replace(/^#\//, '')
    .split('/')
    .slice(0, -1)
    .reduce<Record<string, unknown>>((node, key) => (node?.[key] ?? {}) as Record<string, unknown>, siteConfigSchema());
}

function allowedOf(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `one of ${Object.keys((schemaAt(error.schemaPath).properties as object) ?? {}).join(', ')}`;
    case 'enum':
      return `one of ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'pattern': {
      const node = schemaAt(error.schemaPath);
      return typeof node.description === 'string' ? node.description : `a string matching ${p.pattern}`;
    }
    case 'type':
      return `${p.type === 'object' ? 'an object' : p.type === 'array' ? 'a list' : `a ${p.type}`}`;
    case 'minimum':
      return `a number of at least ${p.limit}`;
    case 'required':
      return `an object with "${p.missingProperty}"`;
    case 'minLength':
      return 'a non-empty string';
    case 'maxLength':
      return `at most ${p.limit} characters`;
    case 'uniqueItems':
      return 'a list without repeats';
    case 'not':
      return 'a name that does not start with "__"';
    default:
      return error.message ?? 'what the schema allows';
  }
}

/** One sentence for the first schema error. */
export function describeSchemaError(data: unknown, error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    return `${dotted(error.instancePath, key)} is not a known key; allowed here: ${allowedOf(error)}`;
  }
  if (error.keyword === 'required') return `${dotted(error.instancePath)} lacks "${(error.params as { missingProperty: string }).missingProperty}"; allowed: ${allowedOf(error)}`;
  // a key failing `propertyNames`: ajv reports the inner keyword with the key in `propertyName`
  if (error.propertyName !== undefined) return `${dotted(error.instancePath, error.propertyName)} is not an allowed name here; allowed: ${allowedOf(error)}`;
  return `${dotted(error.instancePath)} is ${shown(valueAt(data, error.instancePath))}; allowed: ${allowedOf(error)}`;
}

/** What the schema cannot say. Returns the first problem, or undefined. */
function semanticProblem(config: SiteConfig): string | undefined {
  const seen = new Map<string, number>();
  for (const [i, o] of (config.overrides ?? []).entries()) {
    const scopes = [o.namespace !== undefined ? 'namespace' : '', o.cluster !== undefined ? 'cluster' : ''].filter(Boolean);
    if (scopes.length !== 1) return `overrides[${i}] names ${scopes.length === 0 ? 'neither a namespace nor a cluster' : 'both a namespace and a cluster'}; allowed: exactly one of namespace or cluster`;
    const key = `${scopes[0]} ${o.namespace ?? o.cluster}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) return `overrides[${i}] repeats ${key} of overrides[${earlier}]; allowed: one override per namespace or cluster`;
    seen.set(key, i);
  }
  const names = { namespace: 'namespace', cluster: 'cluster', job: 'job', instance: 'instance', ...config.labelNames };
  const values = Object.values(names);
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup) return `labelNames gives "${dup}" to two labels; allowed: four distinct label names for namespace, cluster, job and instance`;
  const reserved = ['alertname', 'severity', THRESHOLDS_LABEL, ...values];
  const clash = Object.keys(config.labels ?? {}).find((k) => reserved.includes(k));
  if (clash) return `labels.${clash} is a label the rules set themselves; allowed: any other label name`;
  return undefined;
}

/** Checks a parsed configuration; throws SiteConfigError with one sentence. */
export function validateSiteConfig(data: unknown, source = 'site configuration'): SiteConfig {
  const validate = validator();
  if (!validate(data)) throw new SiteConfigError(`${source}: ${describeSchemaError(data, validate.errors![0])}.`);
  const problem = semanticProblem(data as SiteConfig);
  if (problem) throw new SiteConfigError(`${source}: ${problem}.`);
  return data as SiteConfig;
}

/** Reads and checks a site.yaml (or .json). */
export function loadSiteConfig(file: string): SiteConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SiteConfigError(`cannot read the site configuration ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? (error as Error).message}.`);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const source = path.basename(file);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new SiteConfigError(`${source}: not valid YAML or JSON at line ${e.linePos?.[0].line ?? '?'} (${e.message.split('\n')[0].replace(/\.$/, '')}).`);
  }
  const data = doc.toJS() ?? {};
  return validateSiteConfig(data, source);
}

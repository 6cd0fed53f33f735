import { ID_PATTERN, MAX_ID_LENGTH } from '../schema/labels';
import { quote } from './quote';
import { Rejection } from './rejection';

/** Lookup from enum value to its position, built once per enum. */
export class EnumIndex<T extends string> {
  private readonly positions = new Map<string, number>();
  constructor(readonly values: readonly T[]) {
    values.forEach((value, i) => this.positions.set(value, i));
  }
  /** The position of `value`, or a rejection naming the allowed values. */
  parse(value: unknown, field: string): number {
    const position = typeof value === 'string' ? this.positions.get(value) : undefined;
    if (position === undefined) {
      throw new Rejection('unknown_label_value', `${field}=${quote(value)} is not one of ${this.values.join('|')}`);
    }
    return position;
  }
}

/** The fields of one hook argument, each read exactly once from the caller's object. */
export type Args = Record<string, unknown>;

/**
 * Reads `fields` of the caller's argument once each into a plain object; everything after works on
 * that snapshot, so a getter or Proxy cannot answer validation one way and recording another. A
 * throwing getter, trap or revoked Proxy is the caller's mistake: `invalid_argument`. What was
 * thrown is never touched (it may itself be hostile).
 */
export function readArgs(args: unknown, fields: readonly string[], what = 'the argument'): Args {
  if (typeof args !== 'object' || args === null) {
    throw new Rejection('invalid_argument', `expected ${what} to be an object, got ${quote(args)}`);
  }
  if (isArray(args, what)) throw new Rejection('invalid_argument', `expected ${what} to be an object, got an array`);
  const out: Args = {};
  let i = 0;
  try {
    for (; i < fields.length; i++) out[fields[i]] = (args as Args)[fields[i]];
  } catch {
    throw new Rejection('invalid_argument', `reading ${fields[i]} of ${what} threw`);
  }
  return out;
}

/** `Array.isArray`, which throws on a revoked Proxy. */
function isArray(value: unknown, what: string): boolean {
  try {
    return Array.isArray(value);
  } catch {
    throw new Rejection('invalid_argument', `${what} cannot be inspected (a revoked Proxy)`);
  }
}

/** The elements of a caller's array, each read once; at most `max` of them. */
export function readArray(value: unknown, field: string, max: number): unknown[] {
  if (!isArray(value, field)) throw new Rejection('invalid_argument', `${field} must be an array, got ${quote(value)}`);
  let length: unknown;
  try {
    length = (value as unknown[]).length;
  } catch {
    throw new Rejection('invalid_argument', `reading ${field}.length threw`);
  }
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
    throw new Rejection('invalid_argument', `${field}.length is ${quote(length)}`);
  }
  if (length > max) throw new Rejection('limit_exceeded', `${length} entries in ${field}, the limit is ${max}`);
  const out = new Array<unknown>(length);
  let i = 0;
  try {
    for (; i < length; i++) out[i] = (value as unknown[])[i];
  } catch {
    throw new Rejection('invalid_argument', `reading ${field}[${i}] threw`);
  }
  return out;
}

/** An identifier that may become a label value or span attribute: bounded length, safe characters. */
export function parseId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Rejection('invalid_argument', `${field} must be a non-empty string, got ${quote(value)}`);
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new Rejection('label_too_long', `${field} is ${value.length} characters, the limit is ${MAX_ID_LENGTH}`);
  }
  if (!ID_PATTERN.test(value)) {
    throw new Rejection('invalid_argument', `${field}=${quote(value)} has characters outside [A-Za-z0-9._:/@-]`);
  }
  return value;
}

export function parseOptionalId(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : parseId(value, field);
}

export function parseCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) {
    throw new Rejection('invalid_value', `${field} must be a non-negative integer, got ${quote(value)}`);
  }
  return value;
}

export function parseRatio(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new Rejection('invalid_value', `${field} must be a number from 0 to 1, got ${quote(value)}`);
  }
  return value;
}

export function parseBoolean(value: unknown, field: string, fallback?: boolean): boolean {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new Rejection('invalid_argument', `${field} must be a boolean, got ${quote(value)}`);
  }
  return value;
}

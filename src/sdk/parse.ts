import { ID_PATTERN, MAX_ID_LENGTH } from '../schema/labels';
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
      const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
      throw new Rejection('unknown_label_value', `${field}=${shown} is not one of ${this.values.join('|')}`);
    }
    return position;
  }
}

export function parseArgs(args: unknown): Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new Rejection('invalid_argument', `expected one object argument, got ${args === null ? 'null' : typeof args}`);
  }
  return args as Record<string, unknown>;
}

/** An identifier that may become a label value or span attribute: bounded length, safe characters. */
export function parseId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Rejection('invalid_argument', `${field} must be a non-empty string`);
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new Rejection('label_too_long', `${field} is ${value.length} characters, the limit is ${MAX_ID_LENGTH}`);
  }
  if (!ID_PATTERN.test(value)) {
    throw new Rejection('invalid_argument', `${field}=${JSON.stringify(value)} has characters outside [A-Za-z0-9._:/@-]`);
  }
  return value;
}

export function parseOptionalId(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : parseId(value, field);
}

export function parseCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) {
    throw new Rejection('invalid_value', `${field} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

export function parseRatio(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new Rejection('invalid_value', `${field} must be a number from 0 to 1, got ${String(value)}`);
  }
  return value;
}

export function parseBoolean(value: unknown, field: string, fallback?: boolean): boolean {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new Rejection('invalid_argument', `${field} must be a boolean, got ${typeof value}`);
  }
  return value;
}

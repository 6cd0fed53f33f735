/** The optional `deadline` of planCreated: a time after the plan's creation, in the SDK clock's milliseconds. */
import { Rejection } from './rejection';

/** The latest time a JavaScript Date holds. */
const MAX_TIME_MS = 8.64e15;

export function parseDeadline(value: unknown, createdAt: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value > MAX_TIME_MS) {
    throw new Rejection('invalid_value', `deadline must be a time in milliseconds since the epoch, got ${String(value)}`);
  }
  if (value <= createdAt) {
    throw new Rejection('invalid_value', `deadline ${value} is not after the plan's creation at ${createdAt} (milliseconds since the epoch)`);
  }
  return value;
}

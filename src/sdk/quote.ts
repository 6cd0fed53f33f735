/** Safe, short descriptions of caller values for diag messages: never coerces, never throws. */

/** Characters of a bad string value quoted in a message; the rest is summarised by its length. */
export const QUOTE_PREFIX = 32;

/**
 * `"abc"` (JSON-escaped, so control characters and quotes cannot forge log lines), `"abc…" (1048576
 * characters)` for long strings, the value itself for numbers, booleans, null and undefined, and
 * only the type for anything else: an object's `toString` or `Symbol.toPrimitive` is caller code.
 */
export function quote(value: unknown, max = QUOTE_PREFIX): string {
  switch (typeof value) {
    case 'string':
      return value.length <= max ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return value === null ? 'null' : 'an object';
  }
}

/** The message of an error raised by the SDK's own code (or by a component the controller passed in). */
export function describeError(error: unknown): string {
  try {
    if (error !== null && typeof error === 'object') {
      const message = (error as { message?: unknown }).message;
      if (typeof message === 'string') return quote(message, 200);
    }
  } catch {
    // a hostile object: its type is all we say
  }
  return quote(error);
}

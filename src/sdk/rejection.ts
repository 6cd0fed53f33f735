import type { RejectionReason } from '../schema/enums';

/**
 * Raised inside a hook when its call cannot be recorded. Hooks read and parse every argument before
 * they change any state, so a rejection never leaves a half-applied update; the facade catches it,
 * counts it and reports it through `diag`. It never leaves the SDK.
 *
 * Not an `Error`: capturing a stack trace would make every rejected call several times dearer than
 * an accepted one, and nobody reads the stack of a counted rejection.
 */
export class Rejection {
  constructor(
    readonly reason: RejectionReason,
    /** A function when the text is dear to build: it is built only for the warnings that are logged. */
    private readonly detail: string | (() => string),
  ) {}

  get message(): string {
    return typeof this.detail === 'string' ? this.detail : this.detail();
  }
}

import type { RejectionReason } from '../schema/enums';

/**
 * Raised inside a hook when its call cannot be recorded. Hooks parse every argument before they
 * change any state, so a rejection never leaves a half-applied update; the facade catches it,
 * counts it and reports it through `diag`. It never leaves the SDK.
 */
export class Rejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    detail: string,
  ) {
    super(detail);
  }
}

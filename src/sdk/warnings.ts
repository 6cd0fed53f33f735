import { diag } from '@opentelemetry/api';
import { HOOKS, REJECTION_REASONS } from '../schema/enums';

const N_REASONS = REJECTION_REASONS.length;
/** One warning per hook and reason in this much clock time; the metric still counts every call. */
export const WARNING_INTERVAL_MS = 10_000;

/**
 * Reports rejections through `diag.warn`, at most once per hook and reason per interval; the next
 * warning after a quiet spell says how many similar calls went unreported. Never throws, even when
 * the controller's diag logger does.
 */
export class RejectionWarnings {
  private readonly lastAt: Float64Array;
  private readonly suppressed: Float64Array;

  constructor(private readonly now: () => number) {
    this.lastAt = new Float64Array(HOOKS.length * N_REASONS).fill(-Infinity);
    this.suppressed = new Float64Array(HOOKS.length * N_REASONS);
  }

  /** `detail` is read only when the warning is logged (a Rejection builds its text then). */
  warn(hook: number, reason: number, detail: string | { readonly message: string }): void {
    const cell = hook * N_REASONS + reason;
    let at: number;
    try {
      at = this.now();
    } catch {
      at = Date.now();
    }
    if (at - this.lastAt[cell] < WARNING_INTERVAL_MS) {
      this.suppressed[cell]++;
      return;
    }
    this.lastAt[cell] = at;
    const more = this.suppressed[cell];
    this.suppressed[cell] = 0;
    const tail = more > 0 ? ` (and ${more} similar call(s) not reported since the last warning)` : '';
    try {
      const text = typeof detail === 'string' ? detail : detail.message;
      diag.warn(`meshkit-rebalance: ${HOOKS[hook]} rejected (${REJECTION_REASONS[reason]}): ${text}${tail}`);
    } catch {
      // the controller's logger failed; the rejection is counted all the same
    }
  }
}

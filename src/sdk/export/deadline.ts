import { diag } from '@opentelemetry/api';
import { describeError } from '../quote';

/**
 * Runs the steps and resolves when all have settled or `ms` have passed, whichever comes first.
 * Never rejects: a failure or the deadline is reported through `diag`, and a step that is still
 * running is abandoned.
 */
export function settleWithin(steps: readonly (() => Promise<unknown> | unknown)[], ms: number, what: string): Promise<void> {
  const settled = Promise.allSettled(steps.map((step) => Promise.resolve().then(step))).then((results) => {
    for (const r of results) if (r.status === 'rejected') report(`${what}: ${describeError(r.reason)}`);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      report(`${what} did not finish within ${ms} ms; what was left is abandoned`);
      resolve();
    }, ms);
  });
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}

function report(message: string): void {
  try {
    diag.error(`meshkit-rebalance: ${message}`);
  } catch {
    // the controller's logger failed
  }
}

/** An error meant for the person at the terminal: one sentence, no stack trace, a non-zero exit. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}

/** Progress lines go to stderr so that `--json` output on stdout stays machine-readable. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

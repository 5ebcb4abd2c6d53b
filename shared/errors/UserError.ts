/**
 * A problem the user can fix (bad file, invalid rules, bad setting). The CLI prints the message
 * without a stack trace and exits 1; anything else is unexpected and exits 2.
 * The message must name the offender: file, line, rule or setting.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'USER_ERROR';
  }
}

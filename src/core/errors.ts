/**
 * Every expected failure in the core is an AuthzError: a stable code, a
 * message saying what is wrong, and a hint saying what to do. The adapters
 * (VS Code, CLI) turn it into one clear message; nothing else is shown.
 */
export class AuthzError extends Error {
  constructor(
    /** Stable UPPER_SNAKE identifier, e.g. KEY_TOO_SMALL. */
    readonly code: string,
    message: string,
    /** What the user can do about it. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'AuthzError';
  }

  /** Message and hint as one sentence pair, for notifications and stderr. */
  get display(): string {
    if (!this.hint) return this.message;
    // Messages that end without punctuation (parser errors, quoted paths) must not run into the hint.
    return /[.!?:)]$/.test(this.message.trimEnd()) ? `${this.message} ${this.hint}` : `${this.message}. ${this.hint}`;
  }
}

export function isAuthzError(e: unknown): e is AuthzError {
  return e instanceof AuthzError;
}

/** Text of any thrown value, without stack traces. */
export function errorText(e: unknown): string {
  if (e instanceof AuthzError) return e.display;
  if (e instanceof Error) return e.message;
  return String(e);
}

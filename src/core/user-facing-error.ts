/** An error whose message is meant for the person who typed the command: shown as is, privately. */
export class UserFacingError extends Error {
  constructor(
    message: string,
    /** Per-field messages, keyed by argument name (Slack shows them inline in a modal). */
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export const isUserFacingError = (error: unknown): error is UserFacingError => error instanceof UserFacingError;

/**
 * A refusal from the domain: a code and the facts behind it, never the words a user reads. The
 * commands side turns every code into its sentence in one place (commands/domain-errors.ts), and
 * the command router does that for every command it runs, so a refusal reads the same on every
 * platform. The codes and their facts are listed in src/domain/errors.ts.
 */
export class DomainError<Code extends string = string, Params = unknown> extends Error {
  constructor(
    readonly code: Code,
    readonly params: Params,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

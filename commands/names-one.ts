import { isDomainError, isUserFacingError, type CommandContext } from '../src/core';

/**
 * `Subcommand.namesOne` hooks: whether unquoted words (`ana lima`) name exactly one record, by the
 * same resolution the subcommand then runs. A refusal (none, several, archived) is a no.
 */
async function resolves(attempt: () => Promise<unknown>): Promise<boolean> {
  try {
    await attempt();
    return true;
  } catch (error) {
    if (isUserFacingError(error) || isDomainError(error)) return false;
    throw error;
  }
}

export const namesOneCreator =
  (options: { includeArchived?: boolean } = {}) =>
  (words: string, ctx: CommandContext): Promise<boolean> =>
    resolves(() => ctx.services.influencers.resolve(ctx.workspace.id, words, options));

export const namesOneCollab = (words: string, ctx: CommandContext): Promise<boolean> =>
  resolves(() => ctx.services.collaborations.resolve(ctx.workspace.id, words));

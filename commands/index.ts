import type { CommandDefinition } from '../src/core';
import influencer from './influencer.command';

/** Every command the bot answers, on every platform. Explicit, so the list is typed and greppable. */
export const commands: CommandDefinition[] = [influencer];

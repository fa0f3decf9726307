import type { CommandDefinition } from '../src/core';
import influencer from './influencer.command';
import collab from './collab.command';
import content from './content.command';
import payment from './payment.command';
import irm from './irm.command';

export { explain } from './domain-errors';

/** Every command the bot answers, on every platform. Explicit, so the list is typed and greppable. */
export const commands: CommandDefinition[] = [influencer, collab, content, payment, irm];

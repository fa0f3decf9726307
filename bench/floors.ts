import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { Types } from 'mongoose';
import type { Models } from '../src/domain/services';

/**
 * The floors Bolt itself sets on this machine: the same HTTPReceiver options as our adapter
 * (HTTP mode, `processBeforeResponse: false`, the recording Web API), with a handler that
 *  - `bare`: only acknowledges;
 *  - `one-read`: makes one indexed read (`workspaceId` + `nameKey`), then acknowledges;
 *  - `open`: acknowledges, then opens a one-field modal with views.open (the least a form needs);
 *  - `read-reply`: acknowledges, makes the one read, then answers on the response_url (the least a
 *    read needs before the person sees something).
 * The targets use the first two; the last two say how much of a gap is the platform's own cost.
 */

export const FLOOR_COMMAND = '/floor';

export interface Floor {
  url: string;
  stop(): Promise<void>;
}

const silent: BoltLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export type FloorKind = 'bare' | 'one-read' | 'open' | 'read-reply';

const MINIMAL_MODAL = {
  type: 'modal' as const,
  callback_id: 'floor',
  title: { type: 'plain_text' as const, text: 'Floor' },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [{ type: 'input' as const, block_id: 'name', label: { type: 'plain_text' as const, text: 'Name' }, element: { type: 'plain_text_input' as const, action_id: 'value' } }],
};

export async function startFloor(options: {
  kind: FloorKind;
  signingSecret: string;
  apiUrl: string;
  /** What the reading floors read: one creator by workspace and folded name. */
  read: { models: Models; workspaceId: string; nameKey: string };
}): Promise<Floor> {
  const app = new App({
    token: 'xoxb-bench-floor',
    signingSecret: options.signingSecret,
    logger: silent,
    convoStore: false,
    deferInitialization: true,
    port: 0,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    clientOptions: { slackApiUrl: `${options.apiUrl}/api/`, retryConfig: { retries: 0 } },
  });
  const { models, nameKey } = options.read;
  const workspaceId = new Types.ObjectId(options.read.workspaceId);
  const readOne = async () => {
    const found = await models.influencers.findOne({ workspaceId, nameKey }).lean();
    if (!found) throw new Error('floor: the seeded creator is missing');
    return found;
  };
  const kind = options.kind;
  app.command(FLOOR_COMMAND, async ({ ack, body, client }) => {
    if (kind === 'one-read') await readOne();
    await ack();
    if (kind === 'open') await client.views.open({ trigger_id: body.trigger_id, view: MINIMAL_MODAL });
    if (kind === 'read-reply') {
      const found = await readOne();
      const res = await fetch(body.response_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', text: found.name }),
      });
      await res.body?.cancel();
    }
  });
  await app.init();
  const server = (await app.start(0)) as Server;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => app.stop().then(() => undefined),
  };
}

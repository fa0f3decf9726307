import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../helpers/app';
import { useTestDatabase } from '../../helpers/database';
import type { RecordingApi } from '../../helpers/recording-api';
import type { SlackRequests } from '../../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../../helpers/slack-app';

/**
 * "Share in channel" on Slack, through a signed request into the real Bolt app: the card goes to
 * the channel naming its owner without pinging them (Slack has no silent mention), with imported
 * text shown as typed, and without personal data.
 */
const HOSTILE = '[Pay here](https://evil.example) **bold** <@U0EVIL> <!channel> @everyone';
const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let platform: SlackApp;
let api: RecordingApi;
let as: SlackRequests;
let creatorId = '';

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
  platform = await startSlackApp(app.router, connection);
  ({ api, as } = platform);
  api.respond((r) => (r.path === '/api/users.info' ? { body: { ok: true, user: { id: 'U0MARIA', name: 'maria', real_name: 'Maria Rossi', profile: { display_name: 'Maria' } } } } : undefined));
  const workspace = await app.services.workspaces.ensure('slack', 'T0TEAM');
  // As an import writes it: no command's mention guard.
  const creator = await app.services.influencers.add(
    workspace.id,
    { name: `Zoë ${HOSTILE}`, handles: [], tags: [HOSTILE], ownerId: 'U0MARIA', stage: 'active', email: 'zoe@example.com', phone: '+33 6 12 34 56 78', address: '1 rue de la Paix', preferences: 'size M', notes: HOSTILE },
    'U0MARIA',
  );
  creatorId = String(creator._id);
});

afterAll(async () => {
  await platform?.stop();
});

describe('GIVEN a creator card shared in a channel on Slack', () => {
  it('THEN it goes to the channel naming the owner without a mention, imported text escaped, and no personal data', async () => {
    const sent = await as.command('/influencer', `show ${creatorId} share:yes`);
    expect(sent.response.status).toBe(200);
    const answer = (await api.waitFor(new URL(sent.responseUrl).pathname)).body as { response_type: string; text: string; blocks: unknown[] };
    expect(answer.response_type).toBe('in_channel');
    const posted = JSON.stringify(answer);
    // Where Slack reads mentions (mrkdwn and the notification text; plain_text headers and buttons show them as text):
    // no live mention at all, not the owner (named instead), not the ones typed into the name, tags and notes.
    const mrkdwn: string[] = [answer.text];
    JSON.stringify(answer.blocks, (_key, value) => {
      if (value && typeof value === 'object' && value.type === 'mrkdwn') mrkdwn.push(value.text);
      return value;
    });
    expect(mrkdwn.join('\n').match(/<[@!][^>]*>/g)).toEqual(null);
    expect(posted).toContain('@Maria');
    expect(posted).toContain('&lt;@U0EVIL&gt; &lt;!channel&gt;');
    for (const personal of ['zoe@example.com', '+33 6 12 34 56 78', '1 rue de la Paix', 'size M']) expect(posted).not.toContain(personal);
  });

  it('WHEN the same card is shown privately THEN the owner stays a mention (a private answer notifies nobody)', async () => {
    const sent = await as.command('/influencer', `show ${creatorId}`);
    const answer = (await api.waitFor(new URL(sent.responseUrl).pathname)).body as { response_type: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer)).toContain('<@U0MARIA>');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';
import type { RecordingApi } from '../helpers/recording-api';
import type { SlackRequests } from '../helpers/slack-requests';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * `/collab new` (modal) -> brief -> "Brief sent" -> `/content log` -> `/content metrics` ->
 * `/collab show` on Slack: signed HTTP requests into the real Bolt app, Web API calls recorded.
 */

const { connection } = useTestDatabase();

let app: Awaited<ReturnType<typeof buildApp>>;
let platform: SlackApp;
let api: RecordingApi;
let as: SlackRequests;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'Europe/Paris' });
  platform = await startSlackApp(app.router, connection);
  ({ api, as } = platform);
});

afterAll(async () => {
  await platform?.stop();
});

/** Runs a slash command as Slack sends it and returns what was posted to its response_url. */
async function slash(command: string, text: string) {
  const sent = await as.command(command, text);
  expect(sent.response).toEqual({ status: 200, text: '', json: undefined });
  const answer = await api.waitFor(new URL(sent.responseUrl).pathname);
  return { ...sent, body: answer.body as { response_type: string; text: string; blocks: any[] } };
}

const buttonLabelled = (blocks: any[], label: string) => {
  const found = blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements).find((b: any) => b.text.text === label);
  if (!found) throw new Error(`no button "${label}" in ${JSON.stringify(blocks)}`);
  return found;
};

describe('a collaboration on Slack, end to end', () => {
  let opened: { body: any };
  let commandResponseUrl = '';

  it('GIVEN /collab new <who> THEN a modal opens with the fields in order of importance', async () => {
    await slash('/influencer', 'add "Zoë Tran" @zoe.creates network:instagram stage:negotiating');
    const sent = await as.command('/collab', 'new @zoe.creates');
    expect(sent.response.status).toBe(200);
    commandResponseUrl = sent.responseUrl;
    opened = await api.waitFor('/api/views.open', (r) => r.body.trigger_id === sent.triggerId);
    const zoe = await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean();
    expect(JSON.parse(opened.body.view.private_metadata).submit).toEqual({ command: 'collab', subcommand: 'new', args: { who: String(zoe!._id) } });
    expect(opened.body.view.blocks.map((b: any) => b.block_id).slice(0, 6)).toEqual(['title', 'type', 'goal', 'expect', 'fee', 'currency']);
  });

  it('GIVEN the modal is submitted with a negative count and an end before the start THEN the errors show under their fields and nothing is stored', async () => {
    const sent = await as.submit(opened.body.view, {
      title: 'Spring launch',
      type: 'sponsored-post',
      goal: 'awareness',
      expect: 'post -2',
      start: '2026-12-01',
      end: '2026-11-01',
    });
    expect(sent.response.json).toEqual({ response_action: 'errors', errors: { expect: 'expect: content counts cannot be negative' } });
    const second = await as.submit(opened.body.view, { title: 'Spring launch', type: 'sponsored-post', goal: 'awareness', start: '2026-12-01', end: '2026-11-01' });
    expect(second.response.json).toEqual({ response_action: 'errors', errors: { end: 'end (2026-11-01) is before start (2026-12-01)' } });
    expect(await app.models.collaborations.countDocuments()).toBe(0);
    expect(await app.models.contents.countDocuments()).toBe(0);
  });

  it('GIVEN the modal is submitted with good values THEN the brief comes back and "Brief sent" logs a briefing', async () => {
    const sent = await as.submit(opened.body.view, {
      title: 'Spring launch',
      type: 'sponsored-post',
      goal: 'awareness',
      expect: 'post 2, story 4',
      fee: '1499.99',
      currency: 'EUR',
      schedule: 'monthly',
      // The start day: the first monthly fee is called for at once.
      'reporting-day': '23',
      guidelines: 'https://brand.example/guidelines',
      cta: 'Shop the launch',
    });
    expect(sent.response).toEqual({ status: 200, text: '', json: undefined });
    const answer = (await api.waitFor(new URL(commandResponseUrl).pathname)).body;
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Started Spring launch with Zoë Tran: awareness, sponsored-post. Zoë Tran moved from negotiating to active.');
    expect(answer.text).toContain('Payment: €1,499.99 per month, paid within 30 days of each reporting day');
    expect(answer.text).toContain('Guidelines: https://brand.example/guidelines');
    expect(answer.text).toContain('The creative approach is yours');
    const collab = await app.models.collaborations.findOne({ title: 'Spring launch' }).lean();
    expect(collab).toMatchObject({ compensation: { feeMinor: 149999, currency: 'EUR', schedule: 'monthly' }, reportingDay: 23 });
    expect(await app.models.contents.countDocuments({ collaborationId: collab!._id, planned: true })).toBe(6);

    const clicked = await as.click(buttonLabelled(answer.blocks, 'Brief sent'));
    const logged = (await api.waitFor(new URL(clicked.responseUrl).pathname)).body;
    expect(logged.text).toContain('Logged a briefing with Zoë Tran: Sent the onboarding brief for Spring launch.');
    expect((await app.models.touchpoints.find({ kind: 'briefing' }).lean()).map((t) => t.summary)).toEqual(['Sent the onboarding brief for Spring launch']);
  });

  it('GIVEN content logged (links as Slack escapes them) and measured THEN /collab show has the figures exactly', async () => {
    const logged = await slash('/content', 'log "Spring launch" <https://www.instagram.com/p/AAA/>');
    expect(logged.body.text).toContain('Logged a post for Spring launch (Zoë Tran), published Nov 23: https://www.instagram.com/p/AAA/');
    expect(logged.body.text).toContain('It ticks off the post due Nov 26.');
    // Slack links a typed `instagram.com/...` as <http://...|instagram.com/...>: what was typed has no scheme.
    const schemeless = await slash('/content', 'log zoe <http://instagram.com/stories/zoe.creates/1|instagram.com/stories/zoe.creates/1>');
    expect(schemeless.body.text).toBe('url must be a web link starting with http:// or https://');
    await slash('/content', 'log zoe <https://www.instagram.com/stories/zoe.creates/1>');
    const twice = await slash('/content', 'log "Spring launch" <http://instagram.com/p/AAA>');
    expect(twice.body.text).toContain('That link is already logged for Spring launch');
    const unknown = await slash('/content', 'metrics <https://www.instagram.com/p/AAA/> reach:10000 hearts:5');
    expect(unknown.body.text).toContain('Unknown argument hearts.');
    await slash('/content', 'metrics <https://www.instagram.com/p/AAA/> reach:10000 impressions:25000');
    await slash('/content', 'metrics <https://www.instagram.com/stories/zoe.creates/1> impressions:5000');

    const shown = await slash('/collab', 'show "Spring launch"');
    expect(shown.body.response_type).toBe('ephemeral');
    expect(shown.body.text).toContain(
      [
        'This month (November 2026): posts 1/2 · stories 1/4',
        'Results so far (awareness): reach 10,000 · impressions 30,000 · views 0 · 2 published',
        'Committed so far: €1,499.99 · paid so far: nothing yet',
        // 149999 cents * 1000 / 30000 impressions = 4999.97 cents.
        'Cost per thousand impressions (on committed cost): €50.00',
      ].join('\n'),
    );
    const section = shown.body.blocks.find((b: any) => b.type === 'section' && String(b.text?.text).includes('This month'));
    expect(section.text.text).toContain('*Cost per thousand impressions (on committed cost):* €50.00');
  });
});


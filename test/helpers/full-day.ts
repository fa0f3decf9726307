import type { JobWorkspace } from '../../src/core';
import type { buildApp } from './app';
import type { DiscordApp } from './discord-app';
import { APPLICATION_ID, GUILD_A, USER_MARIA } from './discord-interactions';
import { addCreator, publish } from './nurture';
import { seedCollaboration } from './scheduler';
import type { SlackApp } from './slack-app';

type App = Awaited<ReturnType<typeof buildApp>>;

/**
 * A day with a lot to say, for the digest, the nudges and App Home: one owner with 12 birthdays
 * this week, 12 relationships quiet for 50 days, 12 follow-ups due, 10 wins and 10 deliverables
 * due (and 10 payments late), on 2026-11-23 in Europe/Paris.
 */
export const FULL_DAY = { now: '2026-11-23T08:00:00Z', timezone: 'Europe/Paris' } as const;
export const DISCORD_DIGEST = '1200000000000000010';
export const DISCORD_NUDGES = '1200000000000000011';
/** The DM channel the Discord stand-in opens with a user. */
export const dmOf = (userId: string) => `99${userId.slice(2)}`;

export async function seedFullDay(app: App, ws: JobWorkspace, owner: string) {
  for (let i = 0; i < 12; i += 1) {
    const n = String(i).padStart(2, '0');
    await addCreator(app, ws, { name: `Birthday ${n}`, ownerId: owner, birthday: { month: 11, day: 25 }, address: `${n} Rue de Rivoli, Paris`, contactedDaysAgo: 1 });
    const quiet = await addCreator(app, ws, { name: `Quiet ${n}`, ownerId: owner, contactedDaysAgo: 50 });
    await app.services.nurture.remind(ws.id, quiet._id, { dueDay: '2026-11-23', note: `Ask for draft ${n}` }, owner);
  }
  for (let i = 0; i < 10; i += 1) {
    const n = String(i).padStart(2, '0');
    const { influencer, collaboration } = await seedCollaboration(app, ws, { name: `Winner ${n}`, title: `Box ${n}`, ownerId: owner });
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 40, likes: 100 });
    await publish(app, ws, influencer, collaboration._id, { daysAgo: 2, likes: 500 });
    await app.services.content.addPlanned(collaboration, 'story', '2026-11-25', FULL_DAY.timezone);
    await app.services.paymentStates.add(ws, { collaboration, amountMinor: 10_000, currency: 'EUR', dueOn: '2026-11-20' }, owner);
  }
}

/** Discord's REST stand-in answers DM opening, channel posts and Maria's membership of GUILD_A as Discord does. */
export function answerDiscordAsOnAFullDay(discord: DiscordApp) {
  const message = (channel: string) => ({ id: `16${String(discord.api.requests.length).padStart(17, '0')}`, channel_id: channel, type: 0, content: '', embeds: [], components: [], author: { id: APPLICATION_ID, username: 'IRM', discriminator: '0000', bot: true }, timestamp: FULL_DAY.now, edited_timestamp: null, flags: 0, mentions: [], mention_roles: [], attachments: [], pinned: false, tts: false, mention_everyone: false });
  discord.api.respond((r) => (r.method === 'POST' && r.path.endsWith('/users/@me/channels') ? { body: { id: dmOf(r.body.recipient_id), type: 1 } } : undefined));
  discord.api.respond((r) => {
    const posted = /\/channels\/(\d+)\/messages$/.exec(r.path);
    return r.method === 'POST' && posted ? { body: message(posted[1]!) } : undefined;
  });
  discord.api.respond((r) => (r.method === 'GET' && r.path.endsWith(`/guilds/${GUILD_A}/members/${USER_MARIA}`) ? { body: { user: { id: USER_MARIA, username: 'maria' }, roles: [], joined_at: FULL_DAY.now, deaf: false, mute: false, flags: 0 } } : undefined));
}

/** Slack's Web API stand-in answers conversations.open, chat.postMessage and views.publish as Slack does. */
export function answerSlackAsOnAFullDay(slack: SlackApp) {
  slack.api.respond((r) => (r.path === '/api/conversations.open' ? { body: { ok: true, channel: { id: `D${r.body.users}` } } } : undefined));
  slack.api.respond((r) => (r.path === '/api/chat.postMessage' ? { body: { ok: true, channel: r.body.channel, ts: `1795400000.${String(slack.api.requests.length).padStart(6, '0')}` } } : undefined));
  slack.api.respond((r) => (r.path === '/api/views.publish' ? { body: { ok: true } } : undefined));
}

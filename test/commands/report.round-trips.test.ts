import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, consoleCaller, say } from '../helpers/app';
import { useCountedDatabase } from '../helpers/round-trips';

/**
 * The database round trips of `/irm report` (driver command monitoring, as the bench counts them):
 * the month's collaborations with their creators, its results, its checklists and its payments, side
 * by side; the workspace's cadences come with the workspace every command has. Workspace in Paris,
 * today 2026-12-01.
 */

const { connection } = useCountedDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let sent: string[] | undefined;
const team = consoleCaller('team-report', 'maria');

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-12-01T08:00:00Z', timezone: 'Europe/Paris' });
  connection.getClient().on('commandStarted', (event: { commandName: string; command: Record<string, unknown> }) => {
    sent?.push(`${event.commandName} ${String(event.command[event.commandName])}`);
  });
  for (const line of [
    'influencer add "Zoë Tran" @zoe.creates network:instagram',
    'collab new @zoe.creates "Barrier Repair launch" type:sponsored-post goal:awareness expect:"post 2" fee:1000 currency:EUR schedule:monthly start:2026-10-01',
    'content log "Barrier Repair launch" https://www.instagram.com/p/NOV/ published:2026-11-30',
    'content metrics https://www.instagram.com/p/NOV/ reach:1000 impressions:4000',
  ]) {
    expect((await say(app, team, line)).refused, line).toBeFalsy();
  }
});

/** What `line` answered and its round trips (`<command> <collection>`, sorted: they run side by side). */
async function counted(line: string) {
  await say(app, team, 'irm settings'); // the workspace is read once a minute, not by the command measured
  sent = [];
  try {
    const { text } = await say(app, team, line);
    return { text, trips: [...sent].sort() };
  } finally {
    sent = undefined;
  }
}

describe('/irm report round trips', () => {
  it('GIVEN November WHEN the digest is asked THEN 4 round trips: collaborations with creators, results, checklists, payments', async () => {
    const { text, trips } = await counted('irm report 2026-11');
    expect(text).toContain('1. Zoë Tran · Barrier Repair launch · posts 1/2 · reach 1,000');
    expect(trips).toEqual(['aggregate collaborations', 'aggregate contents', 'aggregate contents', 'find payments']);
  });

  it('GIVEN a creator WHEN the briefing pack is asked THEN the creator is found beside the report', async () => {
    const { text, trips } = await counted('irm report 2026-11 @zoe.creates');
    expect(text.split('\n')[0]).toBe('== Briefing pack · Zoë Tran · November 2026 ==');
    expect(trips).toEqual(['aggregate collaborations', 'aggregate contents', 'aggregate contents', 'find influencers', 'find payments']);
  });
});

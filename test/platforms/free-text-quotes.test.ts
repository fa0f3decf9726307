import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';
import { startSlackApp, type SlackApp } from '../helpers/slack-app';

/**
 * Free text at the end of a line (a touchpoint's summary, a follow-up's note, a reason) is stored as
 * typed on Slack and the console, quotes included, as Discord stores its option: quotes group words
 * only where an argument ends. One quoted span that is the whole text still loses its quotes.
 */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
let slack: SlackApp;

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z' });
  slack = await startSlackApp(app.router, connection);
});

afterAll(async () => {
  await slack?.stop();
});

const summaries = async (name: string) => {
  const creator = await connection.collection('influencers').findOne({ name });
  const touchpoints = await connection.collection('touchpoints').find({ influencerId: creator!._id }).sort({ _id: 1 }).toArray();
  return touchpoints.map((t) => t.summary);
};

describe('GIVEN a summary with quotes inside it', () => {
  it('WHEN typed in a Slack slash command THEN the touchpoint keeps the quotes as typed', async () => {
    for (const line of ['add "Zoë Tran" @zoe network:instagram', 'log @zoe note She said "call me" tomorrow', 'log @zoe note “Spring” box sent, she\'s thrilled', 'log @zoe note "Sent the autumn box"']) {
      const sent = await slack.as.command('/influencer', line);
      await slack.api.waitFor(new URL(sent.responseUrl).pathname);
    }
    expect(await summaries('Zoë Tran')).toEqual(['She said "call me" tomorrow', '“Spring” box sent, she\'s thrilled', 'Sent the autumn box']);
  });

  it('WHEN typed in the console as a summary, a follow-up note and reasons THEN each is stored as typed', async () => {
    const out = await runConsole(app.router, [
      'influencer add "Ana Lima" @ana network:tiktok',
      "influencer log Ana Lima call Asked for 'the usual' rate time:10am",
      'influencer remind @ana in 5 days Send the "Winter" box',
      'influencer remind @ana Dec 12 "Call about the spring launch"',
      'collab new @ana "Winter drop" type:gifting goal:image',
      'collab close "Winter drop" cancelled She said "not this season"',
    ]);
    expect(out).toContain('Follow-up set for Nov 28 with Ana Lima: Send the "Winter" box');
    expect(await summaries('Ana Lima')).toEqual(["Asked for 'the usual' rate time:10am"]);
    const creator = await connection.collection('influencers').findOne({ name: 'Ana Lima' });
    const notes = await connection.collection('followups').find({ influencerId: creator!._id }).sort({ _id: 1 }).toArray();
    expect(notes.map((f) => f.note)).toEqual(['Send the "Winter" box', 'Call about the spring launch']);
    expect((await connection.collection('collaborations').findOne({ title: 'Winter drop' }))?.closeReason).toEqual('She said "not this season"');
  });

  it('WHEN punctuation follows a closing quote, an apostrophe opens a word or spaces run THEN the summary is the line exactly as typed', async () => {
    const lines = [
      'She said "call me".',
      'Asked for "the draft", no reply yet',
      "'cause we're late",
      'Zoë\'s box:  two   samples,  "one" missing',
      "'Zoë's box' arrived",
    ];
    for (const line of ['add "Ivy Stone" @ivy network:instagram', ...lines.map((summary) => `log @ivy note ${summary}`)]) {
      const sent = await slack.as.command('/influencer', line);
      await slack.api.waitFor(new URL(sent.responseUrl).pathname);
    }
    expect(await summaries('Ivy Stone')).toEqual(lines);
  });

  it('WHEN a follow-up note after a date of several words has runs of spaces THEN the console stores the note as typed', async () => {
    await runConsole(app.router, ['influencer add "Bo Chen" @bo network:tiktok', "influencer remind @bo Dec 12 Send  the box, it's \"Winter\"."]);
    const creator = await connection.collection('influencers').findOne({ name: 'Bo Chen' });
    const notes = await connection.collection('followups').find({ influencerId: creator!._id }).toArray();
    expect(notes.map((f) => f.note)).toEqual(['Send  the box, it\'s "Winter".']);
  });
});

describe('GIVEN a name with an apostrophe', () => {
  it("WHEN added as a named value or inside a single-quoted name THEN the apostrophe stays in the name and neither opens nor closes a quote", async () => {
    const out = await runConsole(app.router, ["influencer add name:O'Brien @obrien network:instagram", "influencer add 'Zoë's Kitchen' @zk network:tiktok"]);
    expect(out).not.toContain('Unexpected words');
    const names = await connection.collection('influencers').find({ name: { $in: ["O'Brien", "Zoë's Kitchen"] } }).toArray();
    expect(names.map((n) => n.name).sort()).toEqual(["O'Brien", "Zoë's Kitchen"]);
  });
});

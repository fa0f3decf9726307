import { beforeAll, describe, expect, it } from 'vitest';
import { toPlainText, type Reply } from '../../src/core';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

/** Results by month through the console surface: `/collab show <collab> month:YYYY-MM` and `/irm report`. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const team = consoleCaller('team-report', 'maria');

async function say(caller: Caller, line: string) {
  const space = line.indexOf(' ');
  const outcome = await app.router.handle(caller, app.router.parseText(line.slice(0, space), line.slice(space + 1)));
  return { ...outcome, text: outcome.answer.kind === 'reply' ? toPlainText(outcome.answer as Reply) : `FORM ${outcome.answer.title}` };
}

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-12-01T08:00:00Z', timezone: 'Europe/Paris' });
  await say(team, 'influencer add "Zoë Tran" @zoe.creates network:instagram email:zoe@example.com phone:+33612345678');
  await say(team, 'collab new @zoe.creates "Barrier Repair launch" type:sponsored-post goal:awareness expect:"post 2" fee:1000 currency:EUR schedule:monthly start:2026-10-01');
  await say(team, 'content log "Barrier Repair launch" https://www.instagram.com/p/OCT/ published:2026-10-15');
  await say(team, 'content log "Barrier Repair launch" https://www.instagram.com/p/NOV/ published:2026-11-30');
  await say(team, 'content metrics https://www.instagram.com/p/OCT/ reach:500 impressions:1000');
  await say(team, 'content metrics https://www.instagram.com/p/NOV/ reach:1000 impressions:4000');
});

describe('results by month', () => {
  it('GIVEN pieces published in October and November WHEN November is shown THEN only the November piece counts, against that month\'s checklist and fee', async () => {
    const { text } = await say(team, 'collab show "Barrier Repair launch" month:2026-11');
    expect(text.split('\n').filter((line) => /November|Cost per|Results count/.test(line))).toEqual([
      'November 2026: posts 0/2',
      'Results in November 2026 (awareness): reach 1,000 · impressions 4,000 · views 0 · 1 published',
      'Committed in November 2026: €1,000.00 (the fee terms for the month, payments added by hand, commission)',
      'Cost per thousand impressions: €250.00',
      'Results count in the month each piece was published, in the workspace timezone.',
    ]);
  });

  it('GIVEN a month that is not YYYY-MM THEN the field is named and nothing is shown', async () => {
    const { text } = await say(team, 'collab show "Barrier Repair launch" month:11/2026');
    expect(text).toContain('month must be like 2026-11');
  });
});

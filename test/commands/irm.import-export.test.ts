import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { toPlainText, type Reply, type Upload } from '../../src/core';
import { parseCsv } from '../../src/domain/csv/csv';
import type { Caller } from '../../src/platforms/command-router';
import { buildApp, consoleCaller } from '../helpers/app';
import { runConsole } from '../helpers/console';
import { useTestDatabase } from '../helpers/database';

/** `/irm import` and `/irm export` through the router and the console surface, read back from the database. */

const { connection } = useTestDatabase();
let app: Awaited<ReturnType<typeof buildApp>>;
const dir = mkdtempSync(path.join(os.tmpdir(), 'irm-import-'));
const team = consoleCaller('import-ws', 'maria');

const csvFile = (name: string, text: string): Upload => ({ name, bytes: new TextEncoder().encode(text) });

async function run(caller: Caller, command: string, subcommand: string, args: Record<string, unknown>) {
  const outcome = await app.router.handle(caller, { command, subcommand, args });
  const answer = outcome.answer as Reply;
  return { answer, text: toPlainText(answer) };
}

/** Preview, then the Import button's line, as a person would click it. */
async function importFile(caller: Caller, file: Upload) {
  const preview = await run(caller, 'irm', 'import', { file });
  const line = /\[Import \d+ rows?: (irm import apply:[a-f0-9]{24})\]/.exec(preview.text)?.[1];
  const applied = line ? await run(caller, 'irm', 'import', { apply: line.split(':')[1] }) : undefined;
  return { preview: preview.text, applied: applied?.text };
}

const creatorsOf = async (externalId: string) => {
  const ws = await app.services.workspaces.ensure('console', externalId);
  const all = await app.models.influencers.find({ workspaceId: ws.id }).sort({ nameKey: 1 }).lean();
  return all.map((c) => ({
    name: c.name,
    handles: c.handles.map((h) => ({ network: h.network, handle: h.handle, followers: h.followers })),
    email: c.email,
    phone: c.phone,
    address: c.address,
    birthday: c.birthday ? { month: c.birthday.month, day: c.birthday.day, year: c.birthday.year ?? undefined } : undefined,
    timezone: c.timezone,
    tags: c.tags,
    stage: c.stage,
    ownerId: c.ownerId,
    source: c.source,
    notes: c.notes,
    preferences: c.preferences,
    archived: Boolean(c.archivedAt),
  }));
};

const FIRST = [
  'Name,Instagram,Instagram Followers,TikTok handle,E-mail,Phone,Birthday,Tags,Stage,Notes,Favourite colour',
  'Zoë Tran,@zoe.creates,12500,,zoe@example.com,+33 6 12 34 56 78,07-14,"beauty, skincare",active,=1+1,teal',
  'Li Wei,,,li.wei,li@example.com,,1990-02-30,food,,,',
  'Ana Souza,ana.souza,"3,000",ana.tt,ANA@Example.com,,,,negotiating,"Met at ""VidCon""",',
  'Bad Email,,,,not-an-email,,,,,,',
  ',,,,,,,,,,',
  'Sam Stage,@sam,,,,,,,famous,,',
].join('\n');

beforeAll(async () => {
  app = await buildApp(connection, { now: '2026-11-23T10:00:00Z' });
});

describe('/irm import', () => {
  it('GIVEN a spreadsheet THEN the preview counts new rows, lists refused rows with row, column and reason, and unknown columns; nothing is written yet', async () => {
    const { text } = await run(team, 'irm', 'import', { file: csvFile('creators.csv', FIRST) });
    expect(text).toContain('creators.csv: 5 rows · 2 new · 0 to update · 0 unchanged · 3 refused');
    expect(text).toContain(
      'Refused:\n' +
        '• row 3, column Birthday: birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998\n' +
        '• row 5, column E-mail: email must be an address like name@example.com\n' +
        '• row 7, column Stage: stage must be one of: prospect, contacted, negotiating, active, ambassador, paused, ended',
    );
    expect(text).toContain('Columns ignored: "Favourite colour".');
    expect(text).toContain('[Import 2 rows: irm import apply:');
    expect(await creatorsOf('import-ws')).toEqual([]);
  });

  it('GIVEN the preview WHEN Import is clicked THEN the valid rows are stored as typed in the form would store them, once', async () => {
    const { applied } = await importFile(team, csvFile('creators.csv', FIRST));
    expect(applied).toContain('creators.csv: 5 rows · 2 added · 0 updated · 0 unchanged · 3 refused');
    expect(await creatorsOf('import-ws')).toEqual([
      {
        name: 'Ana Souza',
        handles: [
          { network: 'instagram', handle: 'ana.souza', followers: 3000 },
          { network: 'tiktok', handle: 'ana.tt', followers: undefined },
        ],
        email: 'ana@example.com',
        phone: undefined,
        address: undefined,
        birthday: undefined,
        timezone: undefined,
        tags: [],
        stage: 'negotiating',
        ownerId: 'maria',
        source: undefined,
        notes: 'Met at "VidCon"',
        preferences: undefined,
        archived: false,
      },
      {
        name: 'Zoë Tran',
        handles: [{ network: 'instagram', handle: 'zoe.creates', followers: 12500 }],
        email: 'zoe@example.com',
        phone: '+33 6 12 34 56 78',
        address: undefined,
        birthday: { month: 7, day: 14, year: undefined },
        timezone: undefined,
        tags: ['beauty', 'skincare'],
        stage: 'active',
        ownerId: 'maria',
        source: undefined,
        notes: '=1+1',
        preferences: undefined,
        archived: false,
      },
    ]);
    const zoe = await app.models.influencers.findOne({ name: 'Zoë Tran' }).lean();
    expect((await app.models.changes.find({ entityId: zoe!._id }).lean()).map((c) => [c.action, c.actorId])).toEqual([['import', 'maria']]);
    // The button a second time: already done.
    const again = /apply:([a-f0-9]{24})/.exec((await run(team, 'irm', 'import', { file: csvFile('creators.csv', FIRST) })).text)?.[1];
    expect(again).toBeUndefined();
  });

  it('GIVEN the same file again THEN nothing changes: every valid row matches a creator as it is', async () => {
    const { text } = await run(team, 'irm', 'import', { file: csvFile('creators.csv', FIRST) });
    expect(text).toContain('creators.csv: 5 rows · 0 new · 0 to update · 2 unchanged · 3 refused');
    expect(text).toContain('Nothing to import: every valid row matches a creator as it is.');
  });

  it('GIVEN a row matching by handle or email with new values THEN the preview names the fields that change and blank cells clear nothing', async () => {
    const file = csvFile('update.csv', ['instagram,email,tags,phone', '@zoe.creates,zoe@new.example.com,vegan,', ',ANA@example.com,travel,+1 555 0100'].join('\n'));
    const { preview, applied } = await importFile(team, file);
    expect(preview).toContain('update.csv: 2 rows · 0 new · 2 to update · 0 unchanged · 0 refused');
    expect(preview).toContain('Updates (the fields that change):\n• row 2 Zoë Tran: email, tags\n• row 3 Ana Souza: phone, tags');
    expect(applied).toContain('0 added · 2 updated');
    const zoe = (await creatorsOf('import-ws')).find((c) => c.name === 'Zoë Tran')!;
    expect({ email: zoe.email, tags: zoe.tags, phone: zoe.phone }).toEqual({ email: 'zoe@new.example.com', tags: ['vegan'], phone: '+33 6 12 34 56 78' });
  });

  it('GIVEN two rows for one creator, or a row matching two creators THEN they are refused naming why', async () => {
    const file = csvFile('clash.csv', ['name,instagram,email', 'New One,@new.one,', 'Again,@new.one,', 'Mixed,@zoe.creates,ana@example.com'].join('\n'));
    const { text } = await run(team, 'irm', 'import', { file });
    expect(text).toContain(
      '• row 3, column instagram: the same creator as row 2, which is imported instead\n' +
        '• row 4, column email: this row matches several creators (Zoë Tran, Ana Souza); leave out the cell that names the wrong one',
    );
  });

  it("GIVEN another person or workspace uses an import's id THEN it is not applied", async () => {
    const preview = (await run(team, 'irm', 'import', { file: csvFile('x.csv', 'name\nSomeone New') })).text;
    const id = /apply:([a-f0-9]{24})/.exec(preview)![1]!;
    for (const caller of [consoleCaller('import-ws', 'mallory'), consoleCaller('other-ws', 'maria')]) {
      expect((await run(caller, 'irm', 'import', { apply: id })).text).toContain('That import preview is not there any more');
    }
    expect((await run(team, 'irm', 'import', { apply: '{"$gt":""}' })).text).toBe('apply must be the id of an import preview: the Import button carries it');
    expect(await app.models.influencers.countDocuments({ name: 'Someone New' })).toBe(0);
  });

  it('GIVEN files that are not CSV THEN the message says what is wrong and nothing is stored', async () => {
    expect((await run(team, 'irm', 'import', { file: csvFile('empty.csv', '') })).text).toBe(
      'empty.csv cannot be imported: it is empty. Save the sheet as CSV (UTF-8) with the column names in the first row.',
    );
    expect((await run(team, 'irm', 'import', { file: csvFile('pets.csv', 'dog,cat\nrex,tom') })).text).toBe(
      'pets.csv has no column a creator can be recognised by: it needs "id" (as exported), "name", or a handle column such as "instagram", or "email". Columns found: dog, cat.',
    );
    expect((await run(team, 'irm', 'import', { file: '' })).text).toBe('file: attach a CSV file (first row: column names such as name, instagram, email)');
    const form = (await app.router.handle(team, { command: 'irm', subcommand: 'import', args: {} })).answer;
    expect(form).toEqual({
      kind: 'form',
      title: 'Import creators',
      submitLabel: 'Preview',
      fields: [{ name: 'file', label: 'CSV file', kind: 'file', required: true, hint: 'First row: column names such as name, instagram, instagram followers, email, tags, stage.' }],
      submit: { command: 'irm', subcommand: 'import', args: {} },
    });
  });

  it('GIVEN the console WHEN irm import <path> THEN it previews the file on disk, and the Import line applies it', async () => {
    const file = path.join(dir, 'console.csv');
    writeFileSync(file, 'name,youtube\nConsole Creator,console.yt\n');
    const out = await runConsole(app.router, [`irm import ${file}`], 'maria');
    expect(out).toContain('console.csv: 1 row · 1 new · 0 to update · 0 unchanged · 0 refused');
    const line = /\[Import 1 row: (irm import apply:[a-f0-9]{24})\]/.exec(out)![1]!;
    expect(await runConsole(app.router, [line], 'maria')).toContain('console.csv: 1 row · 1 added');
    expect(await app.models.influencers.countDocuments({ name: 'Console Creator' })).toBe(1);
    expect(await runConsole(app.router, ['irm import ./no/such/file.csv'], 'maria')).toContain('file: there is no file at ./no/such/file.csv');
  });

  it('GIVEN a row refused for two cells WHEN previewed in the console THEN it counts as one refused row, both reasons listed, and the counts add up to the rows', async () => {
    const file = path.join(dir, 'two-problems.csv');
    writeFileSync(file, 'name,email,birthday\nTwo Problems,not-an-email,31-12\nFine Creator,fine@example.com,07-14\n');
    const out = await runConsole(app.router, [`irm import ${file}`], 'maria');
    expect(out.split('\n').filter((line) => line.includes('two-problems.csv') || line.startsWith('• row'))).toEqual([
      'irm import ' + file,
      'two-problems.csv: 2 rows · 1 new · 0 to update · 0 unchanged · 1 refused',
      '• row 2, column email: email must be an address like name@example.com',
      '• row 2, column birthday: birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998',
    ]);
  });
});

describe('/irm export', () => {
  it('GIVEN creators WHEN exported THEN a private CSV has every field, formula cells neutralised', async () => {
    const { answer } = await run(team, 'irm', 'export', { what: 'creators' });
    expect(answer.visibility).toBe('private');
    expect(answer.files?.map((f) => [f.name, f.mimeType])).toEqual([['creators-2026-11-23.csv', 'text/csv']]);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(answer.files![0]!.bytes);
    expect(csv.startsWith('\uFEFFid,name,instagram,instagram followers,tiktok,tiktok followers,')).toBe(true);
    expect(csv).toContain(",'=1+1,");
    const parsed = parseCsv(csv);
    expect(parsed.ok && parsed.table.rows.map((r) => r.cells[1])).toEqual(['Ana Souza', 'Zoë Tran']);
  });

  it('GIVEN the exported creators file WHEN imported into an empty workspace THEN its ids are refused; without the id column it holds the same records', async () => {
    await run(team, 'influencer', 'archive', { who: '@zoe.creates' });
    const { answer } = await run(team, 'irm', 'export', { what: 'creators' });
    const exported = new TextDecoder('utf-8', { ignoreBOM: true }).decode(answer.files![0]!.bytes);
    const refusedThere = await run(consoleCaller('empty-ws', 'maria'), 'irm', 'import', { file: { name: 'creators.csv', bytes: answer.files![0]!.bytes } });
    expect(refusedThere.text).toContain('2 rows · 0 new · 0 to update · 0 unchanged · 2 refused');
    expect(await creatorsOf('empty-ws')).toEqual([]);
    // The id column dropped: every row is a new creator there.
    const withoutIds = exported.split('\n').map((line) => line.replace(/^\uFEFF?[^,]*,/, '')).join('\n');
    const { preview, applied } = await importFile(consoleCaller('empty-ws', 'maria'), csvFile('creators.csv', withoutIds));
    expect(preview).toContain('2 rows · 2 new · 0 to update · 0 unchanged · 0 refused');
    expect(applied).toContain('2 added');
    expect(await creatorsOf('empty-ws')).toEqual(await creatorsOf('import-ws'));
    expect((await creatorsOf('empty-ws')).find((c) => c.name === 'Zoë Tran')?.archived).toBe(true);
  });

  it('GIVEN a row naming a creator by an upper-cased id THEN it updates that creator', async () => {
    const ana = (await app.models.influencers.findOne({ name: 'Ana Souza' }).lean())!;
    const { preview, applied } = await importFile(team, csvFile('ids.csv', `ID,source\n${String(ana._id).toUpperCase()},Met at a fair`));
    expect(preview).toContain('ids.csv: 1 row · 0 new · 1 to update · 0 unchanged · 0 refused');
    expect(preview).toContain('• row 2 Ana Souza: source');
    expect(applied).toContain('0 added · 1 updated');
    expect((await app.models.influencers.findById(ana._id).lean())?.source).toBe('Met at a fair');
    expect(await app.models.influencers.countDocuments({ workspaceId: ana.workspaceId, name: 'Ana Souza' })).toBe(1);
  });

  it('GIVEN a row with an id no creator here has, or a malformed id THEN the preview refuses that row naming it, and Import creates nobody', async () => {
    const before = await app.models.influencers.countDocuments({});
    const file = csvFile('ghost.csv', ['id,name', '0123456789abcdef01234567,Ghost', 'not-an-id,Spectre', ',Real New'].join('\n'));
    const { preview, applied } = await importFile(team, file);
    expect(preview).toContain('ghost.csv: 3 rows · 1 new · 0 to update · 0 unchanged · 2 refused');
    expect(preview).toContain(
      'Refused:\n' +
        '• row 2, column id: no creator in this workspace has the id 0123456789abcdef01234567: check it, or leave it blank to add the row as a new creator\n' +
        '• row 3, column id: an id is the 24 letters and digits of a creator id, as the export writes it; leave it blank to add the row as a new creator',
    );
    expect(applied).toContain('1 added');
    expect(await app.models.influencers.countDocuments({ name: { $in: ['Ghost', 'Spectre'] } })).toBe(0);
    expect(await app.models.influencers.countDocuments({})).toBe(before + 1);
  });

  it('GIVEN collaborations, payments, content and touchpoints THEN each exports with its header', async () => {
    await run(team, 'influencer', 'log', { who: '@ana.souza', kind: 'call', summary: '@here =cmd|calc' });
    await app.router.handle(team, app.router.parseText('collab', 'new @ana.souza "Spring launch" type:sponsored-post goal:awareness fee:1500 currency:EUR net:14'));
    const heads: Record<string, string> = {};
    for (const what of ['collaborations', 'payments', 'content', 'touchpoints']) {
      const { answer } = await run(team, 'irm', 'export', { what });
      const parsed = parseCsv(answer.files![0]!.bytes);
      heads[what] = parsed.ok ? `${parsed.table.header.slice(0, 4).join(',')} (${parsed.table.rows.length})` : 'unreadable';
    }
    expect(heads).toEqual({
      collaborations: 'id,creator,creator id,title (1)',
      payments: 'id,creator,creator id,collaboration (1)',
      content: 'id,creator,creator id,collaboration (0)',
      touchpoints: 'creator,creator id,kind,date (1)',
    });
    const payments = new TextDecoder().decode((await run(team, 'irm', 'export', { what: 'payments' })).answer.files![0]!.bytes);
    expect(payments).toContain(',Fee,1500.00,EUR,2026-12-07,scheduled,');
    const touchpoints = new TextDecoder().decode((await run(team, 'irm', 'export', { what: 'touchpoints' })).answer.files![0]!.bytes);
    expect(touchpoints).toContain(",call,2026-11-23,maria,'@here =cmd|calc");
  });
});

describe('/irm import at size', () => {
  it('GIVEN 10,000 rows THEN they are written in bulk (10 inserts), and a second import changes nothing', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `Bulk Creator ${i},bulk.${i},${i * 10},bulk${i}@example.com,growth`);
    const file = csvFile('big.csv', ['name,instagram,instagram followers,email,tags', ...rows].join('\n'));
    const insertMany = vi.spyOn(app.models.influencers.collection, 'insertMany');
    const { applied } = await importFile(consoleCaller('big-ws', 'maria'), file);
    expect(applied).toContain('big.csv: 10000 rows · 10000 added');
    expect(insertMany).toHaveBeenCalledTimes(10);
    insertMany.mockRestore();
    const ws = await app.services.workspaces.ensure('console', 'big-ws');
    expect(await app.models.influencers.countDocuments({ workspaceId: ws.id })).toBe(10_000);
    expect((await run(consoleCaller('big-ws', 'maria'), 'irm', 'import', { file })).text).toContain('10000 rows · 0 new · 0 to update · 10000 unchanged');
  }, 240_000);

  it('GIVEN the database fails part-way THEN the report says which rows were not written, and importing again finishes without duplicates', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `Part ${i},part.${i}`);
    const file = csvFile('part.csv', ['name,instagram', ...rows].join('\n'));
    const collection = app.models.influencers.collection;
    const original = collection.insertMany.bind(collection);
    let calls = 0;
    const spy = vi.spyOn(collection, 'insertMany').mockImplementation(((docs: never, options: never) => {
      calls += 1;
      return calls === 2 ? Promise.reject(new Error('connection reset')) : original(docs, options);
    }) as never);
    const { applied } = await importFile(consoleCaller('part-ws', 'maria'), file);
    spy.mockRestore();
    expect(applied).toContain(
      'The import stopped part-way (the database failed). 500 rows were not written (rows 2002-2501); rows 1002-2001 may or may not have been; every other row below was. ' +
        'Importing the same file again finishes it: rows already in are matched and left as they are.',
    );
    const ws = await app.services.workspaces.ensure('console', 'part-ws');
    expect(await app.models.influencers.countDocuments({ workspaceId: ws.id })).toBe(1000);
    const again = await importFile(consoleCaller('part-ws', 'maria'), file);
    expect(again.applied).toContain('2500 rows · 1500 added · 0 updated · 1000 unchanged');
    expect(await app.models.influencers.countDocuments({ workspaceId: ws.id })).toBe(2500);
  });
});

import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createInstallationStore } from '../../../src/platforms/slack/installation-store';
import { createTokenCipher, keyId, TokenKeyError } from '../../../src/platforms/slack/token-cipher';
import { useTestDatabase } from '../../helpers/database';

/** Slack tokens at rest: sealed with TOKEN_ENCRYPTION_KEY, plaintext of older versions migrated, keys rotated. */

const { connection } = useTestDatabase();
const raw = () => connection.collection<{ _id: string; sealed?: string; installation?: object }>('slack_installations');
const clock = () => new Date('2026-11-30T10:00:00Z');
const OLD = randomBytes(32);
const NEW = randomBytes(32);

const installation = (team: string, token: string) =>
  ({
    team: { id: team, name: `Team ${team}` },
    enterprise: undefined,
    isEnterpriseInstall: false,
    appId: 'A0APP',
    bot: { token, scopes: ['commands', 'chat:write'], id: 'B0BOT', userId: 'U0BOT' },
    incomingWebhook: { url: `https://hooks.slack.com/services/${team}/B0/secretpath`, channel: '#general' },
    user: { id: 'U0INSTALLER', token: undefined, scopes: undefined },
  }) as never;

const legacyDoc = (team: string, token: string) => ({ _id: team, teamId: team, isEnterpriseInstall: false, installation: installation(team, token), installedAt: clock() });
const readable = async () => /xox|hooks\.slack|secretpath/.test(JSON.stringify(await raw().find({}).toArray()));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof TokenKeyError ? `${error.kind}: ${error.message}` : String(error)),
  );

beforeEach(async () => {
  await raw().deleteMany({});
});

describe('Slack installations at rest', () => {
  it('GIVEN an installation stored THEN no token or webhook URL is readable in the document, each write has its own IV, and the key reads it back', async () => {
    const store = createInstallationStore(connection, clock, { current: NEW });
    await store.storeInstallation(installation('T0ONE', 'xoxb-one'));
    const first = (await raw().findOne({ _id: 'T0ONE' }))!.sealed;
    await store.storeInstallation(installation('T0ONE', 'xoxb-one'));
    const second = (await raw().findOne({ _id: 'T0ONE' }))!.sealed;
    expect([await readable(), first === second, first?.split('.').slice(0, 2)]).toEqual([false, false, ['v1', keyId(NEW)]]);
    const fresh = createInstallationStore(connection, clock, { current: NEW });
    expect(await fresh.fetchInstallation({ teamId: 'T0ONE', enterpriseId: undefined, isEnterpriseInstall: false })).toEqual(JSON.parse(JSON.stringify(installation('T0ONE', 'xoxb-one'))));
  });

  it('GIVEN installations stored in the clear by an older version WHEN the bot starts THEN they are sealed, their tokens still read, and a second start changes nothing', async () => {
    await raw().insertMany([legacyDoc('T0AAA', 'xoxb-a'), legacyDoc('T0BBB', 'xoxb-b')]);
    const store = createInstallationStore(connection, clock, { current: NEW });
    expect(await store.sealStored()).toEqual({ sealed: 2, resealed: 0, damaged: [] });
    expect(await readable()).toBe(false);
    expect(await raw().countDocuments({ installation: { $exists: true } })).toBe(0);
    expect(await createInstallationStore(connection, clock, { current: NEW }).sealStored()).toEqual({ sealed: 0, resealed: 0, damaged: [] });
    expect([await store.botToken('T0AAA'), await store.botToken('T0BBB')]).toEqual(['xoxb-a', 'xoxb-b']);
  });

  it('GIVEN the key was rotated (new key, old key as TOKEN_ENCRYPTION_KEY_PREVIOUS) WHEN the bot starts THEN every installation is resealed under the new key, and the old key alone no longer reads them', async () => {
    await createInstallationStore(connection, clock, { current: OLD }).storeInstallation(installation('T0AAA', 'xoxb-a'));
    const rotating = createInstallationStore(connection, clock, { current: NEW, previous: OLD });
    expect(await rotating.sealStored()).toEqual({ sealed: 0, resealed: 1, damaged: [] });
    expect((await raw().findOne({ _id: 'T0AAA' }))!.sealed!.split('.')[1]).toBe(keyId(NEW));
    expect(await createInstallationStore(connection, clock, { current: NEW }).botToken('T0AAA')).toBe('xoxb-a');
    expect(await failure(createInstallationStore(connection, clock, { current: OLD }).botToken('T0AAA'))).toMatch(/^wrong-key: TOKEN_ENCRYPTION_KEY: /);
  });

  it('GIVEN several replicas rotating the key in the two steps the README gives THEN every replica reads every installation at every step, and reads never seal back and forth', async () => {
    const A = OLD;
    const B = NEW;
    const sealedWith = async (team: string) => (await raw().findOne({ _id: team }))!.sealed!.split('.')[1];
    const reads = (...replicas: ReturnType<typeof createInstallationStore>[]) => Promise.all(replicas.map((replica) => replica.botToken('T0AAA')));
    const before = createInstallationStore(connection, clock, { current: A });
    await before.storeInstallation(installation('T0AAA', 'xoxb-a'));

    // Step 1, rolling out: replicas with A only still run beside replicas with A and B as previous.
    const step1 = createInstallationStore(connection, clock, { current: A, previous: B });
    expect(await step1.sealStored()).toEqual({ sealed: 0, resealed: 0, damaged: [] });
    const step2 = createInstallationStore(connection, clock, { current: B, previous: A });
    expect([await reads(before, step1, step2), await sealedWith('T0AAA')]).toEqual([['xoxb-a', 'xoxb-a', 'xoxb-a'], keyId(A)]);

    // Step 2, rolling out once no replica runs with A only: its first start reseals under B; step 1 replicas read that.
    expect(await step2.sealStored()).toEqual({ sealed: 0, resealed: 1, damaged: [] });
    expect([await reads(step1, step2, step1), await sealedWith('T0AAA')]).toEqual([['xoxb-a', 'xoxb-a', 'xoxb-a'], keyId(B)]);
    // A step 1 replica reinstalling a workspace meanwhile seals under its A: step 2 replicas read it.
    await step1.storeInstallation(installation('T0BBB', 'xoxb-b'));
    expect([await step2.botToken('T0BBB'), await step1.botToken('T0BBB'), await sealedWith('T0BBB')]).toEqual(['xoxb-b', 'xoxb-b', keyId(A)]);

    // Every replica on step 2: one more start reseals what is left, then B alone reads everything.
    expect(await createInstallationStore(connection, clock, { current: B, previous: A }).sealStored()).toEqual({ sealed: 0, resealed: 1, damaged: [] });
    const after = createInstallationStore(connection, clock, { current: B });
    expect([await after.sealStored(), await after.botToken('T0AAA'), await after.botToken('T0BBB')]).toEqual([{ sealed: 0, resealed: 0, damaged: [] }, 'xoxb-a', 'xoxb-b']);
  });

  it('GIVEN a wrong TOKEN_ENCRYPTION_KEY THEN the start is refused with one message naming the variable, and a request says the same instead of a cryptic error', async () => {
    await createInstallationStore(connection, clock, { current: OLD }).storeInstallation(installation('T0AAA', 'xoxb-a'));
    await createInstallationStore(connection, clock, { current: OLD }).storeInstallation(installation('T0BBB', 'xoxb-b'));
    const wrong = createInstallationStore(connection, clock, { current: NEW });
    const expected =
      `wrong-key: TOKEN_ENCRYPTION_KEY: the Slack installation of T0AAA was encrypted with another key (key id ${keyId(OLD)}; TOKEN_ENCRYPTION_KEY is ${keyId(NEW)}). ` +
      'Set TOKEN_ENCRYPTION_KEY to the key it was stored with, or, to rotate keys, the new key in TOKEN_ENCRYPTION_KEY and the old one in TOKEN_ENCRYPTION_KEY_PREVIOUS.';
    expect(await failure(wrong.sealStored())).toBe(`${expected} (2 installations in all)`);
    expect(await failure(wrong.fetchInstallation({ teamId: 'T0AAA', enterpriseId: undefined, isEnterpriseInstall: false }))).toBe(expected);
    // Nothing was rewritten: the right key still reads them.
    expect(await createInstallationStore(connection, clock, { current: OLD }).botToken('T0BBB')).toBe('xoxb-b');
  });

  it("GIVEN one workspace's sealed value copied onto another's document THEN it does not open there (bound to the workspace id), and the start goes on reporting that workspace as damaged", async () => {
    const store = createInstallationStore(connection, clock, { current: NEW });
    await store.storeInstallation(installation('T0AAA', 'xoxb-a'));
    await store.storeInstallation(installation('T0BBB', 'xoxb-b'));
    const a = (await raw().findOne({ _id: 'T0AAA' }))!.sealed;
    await raw().updateOne({ _id: 'T0BBB' }, { $set: { sealed: a } });
    const fresh = createInstallationStore(connection, clock, { current: NEW });
    expect(await failure(fresh.botToken('T0BBB'))).toMatch(/^damaged: the Slack installation of T0BBB fails its integrity check/);
    expect(await fresh.sealStored()).toEqual({ sealed: 0, resealed: 0, damaged: ['T0BBB'] });
    expect(await fresh.botToken('T0AAA')).toBe('xoxb-a');
  });

  it('GIVEN a sealed value with one bit flipped THEN the auth tag refuses it', () => {
    const cipher = createTokenCipher({ current: NEW });
    const sealed = cipher.seal('xoxb-secret', 'T0AAA');
    const parts = sealed.split('.');
    const data = Buffer.from(parts[4]!, 'base64url');
    data[0] = data[0]! ^ 1;
    const flipped = [...parts.slice(0, 4), data.toString('base64url')].join('.');
    expect([cipher.open(sealed, 'T0AAA').plaintext, (() => { try { cipher.open(flipped, 'T0AAA'); return 'opened'; } catch (error) { return (error as TokenKeyError).kind; } })()]).toEqual(['xoxb-secret', 'damaged']);
  });
});

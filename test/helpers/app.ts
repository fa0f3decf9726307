import type { Connection } from 'mongoose';
import pino from 'pino';
import { beforeAll } from 'vitest';
import { commands, explain } from '../../commands';
import { toPlainText, type Reply } from '../../src/core';
import { CommandRouter, type Caller } from '../../src/platforms/command-router';
import { createModels, createServices, syncIndexes } from '../../src/domain/services';
import { FormSubmissions } from '../../src/db/form-submissions';

/** A clock the test moves by hand. */
export function fakeClock(start: string | Date) {
  let now = new Date(start);
  const clock = () => new Date(now);
  clock.set = (at: string | Date) => {
    now = new Date(at);
  };
  clock.advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return clock;
}

export const silentLogger = pino({ level: 'silent' });

/** The real services and router on a test database, as main.ts wires them. */
export async function buildApp(connection: Connection, options: { now?: string; timezone?: string } = {}) {
  const clock = fakeClock(options.now ?? '2026-11-23T10:00:00Z');
  const models = createModels(connection);
  await syncIndexes(models);
  const services = createServices(models, { clock, defaultTimezone: options.timezone ?? 'UTC' });
  const submissions = new FormSubmissions(connection);
  await submissions.syncIndexes();
  const router = new CommandRouter(commands, { explain, services, clock, logger: silentLogger, submissions });
  return { clock, models, services, router };
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/**
 * Call once at the top of a test file, after useTestDatabase(): the app object exists right away
 * and is filled in before the first test, so `const app = useApp(connection)` works.
 */
export function useApp(connection: Connection, options: { now?: string; timezone?: string } = {}): App {
  const app = {} as App;
  beforeAll(async () => {
    Object.assign(app, await buildApp(connection, options));
  });
  return app;
}

/** `line` (`influencer add ...`) as `caller` types it, through the router: the outcome and its answer as plain text (`FORM <title>` for a form). */
export async function say(app: Pick<App, 'router'>, caller: Caller, line: string) {
  const space = line.indexOf(' ');
  const outcome = await app.router.handle(caller, app.router.parseText(line.slice(0, space), line.slice(space + 1)));
  return { ...outcome, text: outcome.answer.kind === 'reply' ? toPlainText(outcome.answer as Reply) : `FORM ${outcome.answer.title}` };
}

export const consoleCaller = (workspace = 'console', user = 'tester'): Caller => ({
  platform: 'console',
  workspaceExternalId: workspace,
  actor: { id: user, isAdmin: async () => true },
});

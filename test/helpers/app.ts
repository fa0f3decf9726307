import type { Connection } from 'mongoose';
import pino from 'pino';
import { commands, explain } from '../../commands';
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

export const consoleCaller = (workspace = 'console', user = 'tester'): Caller => ({
  platform: 'console',
  workspaceExternalId: workspace,
  actor: { id: user, isAdmin: async () => true },
});

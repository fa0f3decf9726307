import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loggerOptions } from './config/log-redaction';
import { commands, explain } from '../commands';
import { jobs } from '../jobs';
import { ConfigError, discordEnabled, loadEnv, slackEnabled, slackOAuthEnabled } from './config/env';
import { connectDatabase, DatabaseUnreachableError } from './db/connection';
import { DatabaseWatch } from './db/database-watch';
import { FormSubmissions } from './db/form-submissions';
import type { LocalDatabase } from './db/local-database';
import { createModels, createServices, migrate, syncIndexes } from './domain/services';
import { databaseHealth, startHealthServer } from './http/health';
import { CommandRouter } from './platforms/command-router';
import { createConsoleAdapter, createConsolePoster } from './platforms/console/console.adapter';
import { createDiscordAdapter } from './platforms/discord/discord.adapter';
import { createInstallationStore } from './platforms/slack/installation-store';
import { TokenKeyError } from './platforms/slack/token-cipher';
import { createSlackAdapter } from './platforms/slack/slack.adapter';
import { Scheduler, type Posters } from './scheduler/scheduler';
import { createSchedulerModels, syncSchedulerIndexes } from './scheduler/scheduler.models';

const SHUTDOWN_GRACE_MS = 10_000;

/** The one place that wires things: config -> database -> services -> platforms -> scheduler; graceful shutdown. */
async function main(): Promise<void> {
  const env = loadEnv();
  const onConsole = !slackEnabled(env) && !discordEnabled(env);
  // On the console, stdout is the conversation: logs go to stderr and only warnings by default.
  // No tokens, webhook URLs, message bodies or personal data in any line, at any depth (see log-redaction.ts).
  const logger = pino(loggerOptions(env.LOG_LEVEL ?? (onConsole ? 'warn' : 'info')), pino.destination(onConsole ? 2 : 1));
  const stoppers: Array<() => Promise<unknown>> = [];

  let local: LocalDatabase | undefined;
  if (!env.MONGODB_URI) {
    // Loaded only here: mongodb-memory-server is a development dependency, absent from the production image.
    const { startLocalDatabase } = await import('./db/local-database');
    local = await startLocalDatabase({ dataDir: path.resolve(env.DATA_DIR), logger: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) } });
  }
  const uri = env.MONGODB_URI ?? local!.uri;
  const connection = await connectDatabase(uri).catch((error: unknown) => {
    throw new DatabaseUnreachableError(local ? `the embedded database (${env.DATA_DIR})` : 'MONGODB_URI', uri, error);
  });
  logger.info({ database: local ? `${local.kind} (embedded, files in ${env.DATA_DIR})` : 'MONGODB_URI' }, 'database connected');

  const clock = () => new Date();
  const models = createModels(connection);
  await syncIndexes(models);
  const services = createServices(models, { clock, defaultTimezone: env.TZ_DEFAULT });
  const migrated = await migrate(services);
  if (migrated.searchKeys > 0) logger.info({ creators: migrated.searchKeys }, 'search keys written for creators stored by an older version');
  if (migrated.titleKeys > 0) logger.info({ collaborations: migrated.titleKeys }, 'title keys written for collaborations stored by an older version');
  if (migrated.recentTouchpoints > 0) logger.info({ creators: migrated.recentTouchpoints }, 'recent touchpoints copied onto the cards of creators contacted before the card kept them');
  if (migrated.contentOwners > 0) logger.info({ items: migrated.contentOwners }, "collaborations' owners written on content items stored before App Home read deliverables by owner");
  if (migrated.creatorOwners > 0) logger.info({ items: migrated.creatorOwners }, "creators' owners written on published items stored before App Home read wins by owner");
  if (migrated.cancelCodes > 0) logger.info({ payments: migrated.cancelCodes }, "the bot's cancel reasons stored as text by an older version written as codes");
  if (migrated.autoLabels > 0) logger.info({ payments: migrated.autoLabels }, "the bot's names for planned payments stored as text by an older version written as data");
  if (migrated.deliverableSnoozes > 0) logger.info({ items: migrated.deliverableSnoozes }, 'snoozed and done deliverables, wins, birthdays and follow-ups recorded on their items, as App Home reads them now');
  if (migrated.reachOut > 0) logger.info({ creators: migrated.reachOut }, 'reach-out days written for creators stored before App Home listed them by days past the ideal interval');
  const finished = await services.timezone.finishPending();
  if (finished > 0) logger.info({ workspaces: finished }, 'finished timezone changes cut short by a restart');
  const watch = new DatabaseWatch({
    connection,
    uri,
    logger,
    // The driver never recovered while the database answers others: say so, exit non-zero, let the supervisor restart us.
    onStuck: () => process.exit(70),
  });
  watch.start();
  const submissions = new FormSubmissions(connection);
  await submissions.syncIndexes();
  const router = new CommandRouter(commands, { explain, services, clock, logger, database: watch, submissions });
  /** Filled by each platform that starts: the scheduler posts only where a poster exists. */
  const posters: Posters = {};
  const health = databaseHealth(connection);

  let shuttingDown = false;
  const shutdown = async (signal: string, exitCode = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: no new work, finishing what is in flight');
    // Work in flight gets at most 10 s in all; then the database closes regardless.
    const finishing = (async () => {
      // Each surface stops taking work and waits for what it has in flight, replies included; the
      // scheduler finishes and records its run. All at once, so one slow part does not starve the others.
      await Promise.all(stoppers.splice(0).map((stop) => stop().catch((err: unknown) => logger.warn({ err }, 'stop failed'))));
      await router.drain(SHUTDOWN_GRACE_MS);
    })();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), SHUTDOWN_GRACE_MS)));
    if ((await Promise.race([finishing, deadline])) === 'timeout') logger.warn('work still in flight after 10 s: stopping anyway');
    clearTimeout(timer);
    watch.stop();
    await connection.close();
    await local?.stop();
    logger.info('stopped');
    process.exit(exitCode);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  if (slackEnabled(env)) {
    const installations = slackOAuthEnabled(env)
      ? createInstallationStore(connection, clock, { current: env.TOKEN_ENCRYPTION_KEY!, previous: env.TOKEN_ENCRYPTION_KEY_PREVIOUS }, watch)
      : undefined;
    if (installations) {
      // Refuses the start (TokenKeyError) when the stored tokens were sealed with a key we were not given.
      const { sealed, resealed, damaged } = await installations.sealStored();
      if (sealed + resealed > 0) logger.info({ sealed, resealed }, 'slack installations encrypted under TOKEN_ENCRYPTION_KEY (stored in the clear, or under TOKEN_ENCRYPTION_KEY_PREVIOUS)');
      if (damaged.length > 0) logger.error({ workspaces: damaged }, 'slack installations that fail their integrity check: those workspaces must install the app again');
    }
    const slack = createSlackAdapter({
      router,
      ...(installations
        ? {
            oauth: {
              clientId: env.SLACK_CLIENT_ID!,
              clientSecret: env.SLACK_CLIENT_SECRET!,
              stateSecret: env.SLACK_STATE_SECRET!,
              installations,
            },
          }
        : { botToken: env.SLACK_BOT_TOKEN! }),
      signingSecret: env.SLACK_SIGNING_SECRET!,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
      port: env.PORT,
      logger,
      health,
      // Retried events are handled once across replicas: their ids claimed like form submissions.
      handled: submissions,
    });
    await slack.start();
    stoppers.push(() => slack.stop());
    posters.slack = slack.poster;
    logger.info(
      { mode: env.SLACK_APP_TOKEN ? 'socket' : `http :${env.PORT}`, workspaces: slackOAuthEnabled(env) ? `many (install at :${env.PORT}/slack/install)` : 'one (SLACK_BOT_TOKEN)' },
      'slack ready',
    );
  }
  // Slack in HTTP mode serves /healthz itself, and so does Socket Mode with the OAuth install pages.
  if (!slackEnabled(env) || (env.SLACK_APP_TOKEN && !slackOAuthEnabled(env))) {
    if (!onConsole) {
      const server = await startHealthServer(env.PORT, health);
      stoppers.push(() => new Promise((resolve) => server.close(resolve)));
    }
  }
  if (discordEnabled(env)) {
    const discord = createDiscordAdapter({
      router,
      token: env.DISCORD_TOKEN!,
      clientId: env.DISCORD_CLIENT_ID!,
      guildId: env.DISCORD_GUILD_ID,
      apiUrl: env.DISCORD_API_URL,
      logger,
    });
    await discord.start();
    stoppers.push(() => discord.stop());
    posters.discord = discord.poster;
    logger.info('discord ready');
  }
  // A terminal gets the scheduled posts printed; piped scripts stay free of them.
  if (onConsole && process.stdin.isTTY) {
    posters.console = createConsolePoster({ output: process.stdout, dataDir: path.resolve(env.DATA_DIR), clock });
  }

  // Scheduled jobs: a tick a minute, one replica elected per tick, each post once per workspace and period.
  // Stopped first on shutdown, so a post under way is recorded while its platform is still up.
  const schedulerModels = createSchedulerModels(connection);
  await syncSchedulerIndexes(schedulerModels);
  const scheduler = new Scheduler({ jobs, services, models: schedulerModels, posters, clock, logger, concurrency: env.SCHEDULER_CONCURRENCY });
  scheduler.start();
  stoppers.unshift(() => scheduler.stop());

  if (onConsole) {
    process.stderr.write(`No Slack or Discord credentials: console mode. Database: ${local ? `${local.kind}, files in ${env.DATA_DIR}` : 'MONGODB_URI'}.\n`);
    const shell = createConsoleAdapter({
      router,
      input: process.stdin,
      output: process.stdout,
      user: os.userInfo().username,
      interactive: Boolean(process.stdin.isTTY),
      dataDir: path.resolve(env.DATA_DIR),
      clock,
    });
    const { refused } = await shell.run();
    // A script learns that a line was refused: piped mode exits 1 when any command was.
    await shutdown('end of input', refused > 0 && !process.stdin.isTTY ? 1 : 0);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseUnreachableError || error instanceof TokenKeyError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});

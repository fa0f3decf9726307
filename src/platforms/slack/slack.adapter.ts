import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  App,
  LogLevel,
  type BlockAction,
  type BlockSuggestion,
  type ButtonAction,
  type MessageShortcut,
  type CustomRoute,
  type OverflowAction,
  type Logger as BoltLogger,
  type ViewSubmitAction,
  webApi,
  type AllMiddlewareArgs,
  type SlackActionMiddlewareArgs,
  type SlackCommandMiddlewareArgs,
  type SlackEventMiddlewareArgs,
  type SlackOptionsMiddlewareArgs,
  type SlackShortcutMiddlewareArgs,
  type SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { z } from 'zod';
import { toPlainText, type Answer, type Destination, type Form, type Logger, type PostMark, type Poster, type Reply } from '../../core';
import type { Caller, CommandRouter, Invocation } from '../command-router';
import {
  FORM_CALLBACK_ID,
  MAX_OPTION_TEXT_LENGTH,
  MAX_PRIVATE_METADATA_LENGTH,
  RUN_ACTION_PATTERN,
  readViewLabels,
  readViewValues,
  renderModal,
  renderReply,
  silentMentionIds,
  viewErrors,
  type SlackMessage,
} from './render-block-kit';
import { installationKey, type SlackInstallations } from './installation-store';
import { SLACK_BOT_SCOPES } from './slack-scopes';
import { directChannel, downloadFile, refuseTypedFile, uploadFiles } from './slack-files';
import {
  builtPermalink,
  identityFromCommand,
  identityFromInteraction,
  messageSentAt,
  plainMessageText,
  slackCaller,
  slashCommandInvocation,
  type GroupMembers,
  type LookupUser,
} from './slack-args';

/** Many workspaces: Bolt's OAuth installer, tokens per workspace in MongoDB. */
export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Signs the install flow's state parameter (CSRF protection). */
  stateSecret: string;
  installations: SlackInstallations;
}

export interface SlackAdapterOptions {
  router: CommandRouter;
  /** One workspace: its bot token. Leave unset with `oauth`. */
  botToken?: string;
  oauth?: SlackOAuthOptions;
  signingSecret: string;
  /** Set: Socket Mode (no public URL needed). Unset: HTTP mode on `port` at `POST /slack/events`. */
  appToken?: string;
  /** Web API base (GovSlack, tests); Slack's own when unset. */
  apiUrl?: string;
  port: number;
  logger: Logger;
  /** Served at `GET /healthz` in HTTP mode (in Socket Mode main.ts serves it on its own port). */
  health: () => Promise<{ status: number; body: unknown }>;
  /**
   * Remembers which events were handled, across replicas (a unique key in the database): true for
   * the first claim of a key. Unset, or while it fails: remembered in this process only.
   */
  handled?: { claim(key: string, at: Date): Promise<boolean> };
}

export interface SlackAdapter {
  app: App;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A scheduled post (digests, nudges) into a channel; `mark` rides along as message metadata; the reply's files are shared right after it. */
  postMessage(channel: string, reply: Reply, mark?: PostMark, workspaceExternalId?: string): Promise<{ ts: string }>;
  /** The message posted with `mark` since `since`, read back from the channel's history. */
  findPost(channel: string, mark: PostMark, since: Date, workspaceExternalId?: string): Promise<{ ts: string } | undefined>;
  /**
   * The scheduler's poster: postMessage and findPost, with the message `ts` as the id. A post to a
   * person goes to the app's DM with them (`conversations.open`), and is looked for there.
   */
  poster: Poster;
  /** The HTTP port actually listened on (useful with port 0); undefined in Socket Mode or before start. */
  listeningPort(): number | undefined;
}

/** Slack message metadata type of scheduled posts. */
export const POST_MARK_EVENT = 'irm_scheduled_post';
/** History is read from this long before the intent: replicas' clocks and Slack's may disagree a little. */
const FIND_SKEW_MS = 60_000;
const FIND_MAX_PAGES = 5;
/** A channel post names at most this many people by name (users.info each); others by id. */
const MAX_NAME_LOOKUPS = 20;

/** What a modal carries from where it was opened to its submission. */
const formMetadata = z.object({
  submit: z.object({ command: z.string(), subcommand: z.string(), args: z.record(z.string(), z.string()) }),
  channel: z.string().optional(),
  response_url: z.string().optional(),
});
type FormMetadata = z.infer<typeof formMetadata>;

/** Where an answer goes back to: the response_url Slack gave us, else the channel, else a DM. */
interface ReplyTarget {
  userId: string;
  channel?: string;
  responseUrl?: string;
  /**
   * The response_url of an interaction belongs to the message holding the button: say explicitly
   * that answers are new messages, so the card the person clicked stays where it is.
   */
  newMessage?: boolean;
}

/** "Open the form again": what to reopen and what had been typed, in the button's value. */
const reopenPayload = z.object({
  command: z.string(),
  subcommand: z.string(),
  args: z.record(z.string(), z.string()),
  typed: z.record(z.string(), z.string()),
  /** The texts of typeahead picks (a creator's name for its id), so the form shown again shows them. */
  labels: z.record(z.string(), z.string()).optional(),
});
const REOPEN_ACTION_PREFIX = 'irm:reopen:';
const REOPEN_ACTION_PATTERN = /^irm:reopen:\d+$/;
/** Slack's limit on a button's value. */
const MAX_BUTTON_VALUE_LENGTH = 2000;
/** A submitted form's work gets this long before the person hears it is taking longer (it still finishes). */
export const FORM_DEADLINE_MS = 10_000;
const FORM_LATE = 'This is taking longer than it should. You will get the answer here when it is done; please do not submit the form again.';

const textReply = (text: string): Reply => ({ kind: 'reply', visibility: 'private', blocks: [{ type: 'text', text }] });

/** Resolves with `'late'` if `work` is not done within `ms`, else undefined. */
async function withDeadline(work: Promise<unknown>, ms: number): Promise<'late' | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    return await Promise.race([work.then(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Slack waits 3 s for a typeahead's options. */
export const SUGGEST_BUDGET_MS = 2500;

/** The promise's value, or undefined once `ms` have passed. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const clipText = (value: string, max: number): string => (value.length <= max ? value : `${value.slice(0, max - 1)}…`);

function safeJsonParse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** A Web API call gives up after this: well inside the scheduler's 5-minute run lease. */
export const SLACK_API_TIMEOUT_MS = 10_000;

const APOLOGY = 'Sorry, something went wrong on our side.';

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { router, logger } = options;
  const socketMode = Boolean(options.appToken);
  let server: Server | undefined;
  let started = false;
  /** Each listener's whole work, its answer included: stop() waits for them. */
  const inFlight = new Set<Promise<void>>();
  const tracked =
    <A extends unknown[]>(listener: (...args: A) => Promise<void>) =>
    (...args: A): Promise<void> => {
      const work = listener(...args).finally(() => inFlight.delete(work));
      inFlight.add(work);
      return work;
    };

  const healthRoute: CustomRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      options
        .health()
        .catch(() => ({ status: 503, body: { database: 'down' } }))
        .then(({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        })
        .catch((err: unknown) => logger.error({ err: describeError(err) }, 'health check answer failed'));
    },
  };

  // No client-side retries, and a timeout: the scheduler retries a failed post itself, and a
  // retry the client made after the run's lease expired could post twice.
  const webClientOptions = { ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}), retryConfig: { retries: 0 }, timeout: SLACK_API_TIMEOUT_MS };
  const { oauth } = options;
  if (!oauth === !options.botToken) throw new Error('the Slack adapter needs either a bot token (one workspace) or OAuth options (many)');
  // GovSlack and tests: the authorize page sits next to the Web API (`https://host/api/` -> `https://host/oauth/v2/authorize`).
  const authorizationUrl = options.apiUrl ? new URL('../oauth/v2/authorize', options.apiUrl).toString() : undefined;
  const installer = oauth
    ? {
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        stateSecret: oauth.stateSecret,
        scopes: [...SLACK_BOT_SCOPES],
        installationStore: oauth.installations,
        installerOptions: {
          // GET /slack/install goes straight to Slack's consent page.
          directInstall: true,
          installPath: '/slack/install',
          redirectUriPath: '/slack/oauth_redirect',
          ...(authorizationUrl ? { authorizationUrl } : {}),
          clientOptions: webClientOptions,
          // Socket Mode: the install pages and /healthz share one small HTTP server on PORT.
          ...(socketMode ? { port: options.port } : {}),
        },
      }
    : { token: options.botToken };

  const app = new App({
    ...installer,
    signingSecret: options.signingSecret,
    logger: boltLogger(logger),
    // Conversation state would live in process memory; nothing here needs it.
    convoStore: false,
    // auth.test runs in start(), so a bad token fails the start instead of the first command.
    deferInitialization: true,
    ...(socketMode
      ? { socketMode: true, appToken: options.appToken, ...(oauth ? { customRoutes: [healthRoute] } : {}) }
      : {
          port: options.port,
          endpoints: '/slack/events',
          customRoutes: [healthRoute],
          // ack() answers the HTTP request at once; the work continues after, so Slack always gets its 3 s answer.
          processBeforeResponse: false,
        }),
    clientOptions: webClientOptions,
  });

  if (oauth) {
    // The workspace's tokens go; its data stays until an admin asks to delete it.
    app.event('app_uninstalled', async ({ context }) => {
      const key = installationKey(context);
      await oauth.installations.remove(key);
      logger.info({ workspace: key }, 'slack app uninstalled: tokens deleted');
    });
    app.event('tokens_revoked', async ({ event, context }) => {
      // Only bot tokens are stored (no user scopes are asked for).
      if ((event.tokens.bot ?? []).length === 0) return;
      const key = installationKey(context);
      await oauth.installations.remove(key);
      logger.info({ workspace: key }, 'slack bot token revoked: tokens deleted');
    });
  }

  app.error(async (error) => {
    logger.error({ err: describeError(error) }, 'slack listener error');
  });

  const lookupUser =
    (client: webApi.WebClient): LookupUser =>
    async (userId) => {
      try {
        const { user } = await client.users.info({ user: userId });
        return user;
      } catch (err) {
        logger.warn({ err: describeError(err) }, 'users.info failed; treating the user as not an admin');
        return undefined;
      }
    };

  const groupMembers =
    (client: webApi.WebClient): GroupMembers =>
    async (groupId) => {
      try {
        const { users } = await client.usergroups.users.list({ usergroup: groupId });
        return users ?? [];
      } catch (err) {
        logger.warn({ err: describeError(err) }, 'usergroups.users.list failed; treating the user as not in the group');
        return [];
      }
    };

  /** Display names of the people a channel post names without notifying (a shared card's owner): shown, not pinged. */
  async function namesFor(client: webApi.WebClient, reply: Reply): Promise<Map<string, string>> {
    const ids = silentMentionIds(reply).slice(0, MAX_NAME_LOOKUPS);
    const found = await Promise.all(
      ids.map(async (id) => {
        try {
          const { user } = await client.users.info({ user: id });
          const name = user?.profile?.display_name || user?.real_name || user?.name;
          return name ? ([id, name] as const) : undefined;
        } catch (err) {
          logger.warn({ err: describeError(err) }, 'users.info failed; the post names the person by id');
          return undefined;
        }
      }),
    );
    return new Map(found.filter((entry): entry is readonly [string, string] => entry !== undefined));
  }

  /** Runs one piece of work; any failure is logged with a reference and answered with an apology. */
  async function guarded(context: Record<string, unknown>, target: ReplyTarget, client: webApi.WebClient, work: () => Promise<void>) {
    try {
      await work();
    } catch (error) {
      const ref = randomBytes(4).toString('hex');
      logger.error({ err: describeError(error), ref, ...context }, 'slack request failed');
      await deliver(client, { kind: 'reply', visibility: 'private', blocks: [{ type: 'text', text: `${APOLOGY} Reference: ${ref}` }] }, target).catch(
        (err: unknown) => logger.error({ err: describeError(err), ref }, 'could not send the apology'),
      );
    }
  }

  async function run(caller: Caller, invocation: Invocation, source: string) {
    logger.info({ platform: 'slack', source, command: invocation.command, subcommand: invocation.subcommand, workspace: caller.workspaceExternalId }, 'slack command');
    return router.handle(caller, invocation);
  }

  /** A Reply goes back as a message; a Form opens as a modal with the trigger of this very interaction. */
  async function answerWith(client: webApi.WebClient, answer: Answer, target: ReplyTarget, triggerId: string) {
    if (answer.kind === 'form') await openForm(client, answer, triggerId, target);
    else await deliver(client, answer, target);
  }

  async function openForm(client: webApi.WebClient, form: Form, triggerId: string, target: ReplyTarget) {
    const view = renderModal(form, metadataFor(form, target));
    try {
      await client.views.open({ trigger_id: triggerId, view });
    } catch (error) {
      logger.warn({ err: describeError(error), command: form.submit.command, subcommand: form.submit.subcommand }, 'views.open failed');
      await deliver(client, { kind: 'reply', visibility: 'private', blocks: [{ type: 'text', text: 'The form could not open (Slack allows 3 seconds). Please run the command again.' }] }, target);
    }
  }

  /**
   * Private answers are ephemeral; channel answers (a shared card) are posted for everyone. The
   * response_url works in any channel, even where the bot is not a member, so it comes first.
   */
  async function deliver(client: webApi.WebClient, reply: Reply, target: ReplyTarget, extraBlocks: object[] = []) {
    const rendered = renderReply(reply, await namesFor(client, reply));
    const message = (extraBlocks.length ? { ...rendered, blocks: [...(rendered.blocks ?? []), ...extraBlocks] } : rendered) as SlackMessage;
    const inChannel = reply.visibility === 'channel';
    const attempts: Array<[string, () => Promise<unknown>]> = [];
    if (target.responseUrl) {
      const url = target.responseUrl;
      const body = { response_type: inChannel ? 'in_channel' : 'ephemeral', ...(target.newMessage ? { replace_original: false } : {}), ...message };
      attempts.push(['response_url', () => postToResponseUrl(url, body)]);
    }
    if (target.channel) {
      const channel = target.channel;
      attempts.push(
        inChannel
          ? ['chat.postMessage', () => client.chat.postMessage({ channel, ...message })]
          : ['chat.postEphemeral', () => client.chat.postEphemeral({ channel, user: target.userId, ...message })],
      );
    }
    // Last resort for private answers: the app's DM with the person.
    if (!inChannel) attempts.push(['chat.postMessage (DM)', () => client.chat.postMessage({ channel: target.userId, ...message })]);

    let lastError: unknown = new Error('no way to answer: no response_url, channel or user');
    for (const [route, attempt] of attempts) {
      try {
        await attempt();
      } catch (error) {
        lastError = error;
        logger.warn({ err: describeError(error), route }, 'slack answer route failed; trying the next');
        continue;
      }
      if (reply.files?.length) {
        // Files cannot be ephemeral: a private answer's files go to the person's DM with the app.
        await uploadFiles(client, inChannel && target.channel ? target.channel : await directChannel(client, target.userId), reply.files);
      }
      // Further messages (`Reply.more`): each a new message of its own, never replacing this one.
      for (const next of reply.more ?? []) await deliver(client, next, { ...target, newMessage: true });
      return;
    }
    throw lastError;
  }

  // Slack retries an event it thinks went unanswered (X-Slack-Retry-Num), possibly to another
  // replica; an event id already handled anywhere is dropped: each is claimed once in the database
  // (`handled`). While the database cannot say, this process's memory decides (ids kept for an hour,
  // at most 10,000): a retry reaching another replica then may run twice, never zero times.
  const handledEvents = new Map<string, number>();
  const firstDelivery = async (eventId: string): Promise<boolean> => {
    const now = Date.now();
    const seenHere = handledEvents.has(eventId);
    handledEvents.set(eventId, now);
    for (const [id, at] of handledEvents) {
      if (handledEvents.size <= 10_000 && now - at < 3_600_000) break;
      handledEvents.delete(id);
    }
    if (seenHere) return false;
    if (!options.handled) return true;
    try {
      return await options.handled.claim(`slack-event:${eventId}`, new Date(now));
    } catch (error) {
      logger.warn({ err: describeError(error) }, 'slack event: could not record it as handled; handling it');
      return true;
    }
  };
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await firstDelivery(eventId))) {
      logger.info({ platform: 'slack', retry: context.retryNum }, 'slack event ignored: already handled');
      return;
    }
    await next();
  });

  // App Home: the person's dashboard (`/irm home`), published as their Home tab each time they open it.
  app.event('app_home_opened', tracked<[SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs]>(async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    const enterpriseId = (body as { enterprise_id?: string }).enterprise_id;
    const caller = slackCaller({ teamId, ...(enterpriseId ? { enterpriseId } : {}), isEnterpriseInstall: (body as { is_ext_shared_channel?: boolean; authorizations?: Array<{ is_enterprise_install?: boolean }> }).authorizations?.[0]?.is_enterprise_install === true, userId: event.user }, lookupUser(client), groupMembers(client));
    try {
      const { answer } = await run(caller, router.parseText('irm', 'home'), 'app_home');
      if (answer.kind !== 'reply') return;
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: renderReply(answer).blocks } });
    } catch (error) {
      logger.error({ err: describeError(error) }, 'slack app home could not be published');
    }
  }));

  // Slash commands: every command the router knows.
  for (const command of router.commands) {
    app.command(`/${command.name}`, tracked<[SlackCommandMiddlewareArgs & AllMiddlewareArgs]>(async ({ command: body, ack, client }) => {
      await ack();
      const target: ReplyTarget = { userId: body.user_id, channel: body.channel_id, responseUrl: body.response_url };
      const invocation = slashCommandInvocation(router, body);
      await guarded({ source: 'slash_command', command: invocation.command, subcommand: invocation.subcommand }, target, client, async () => {
        const caller = { ...slackCaller(identityFromCommand(body), lookupUser(client), groupMembers(client)), readUpload: refuseTypedFile };
        const { answer } = await run(caller, invocation, 'slash_command');
        await answerWith(client, answer, target, body.trigger_id);
      });
    }));
  }

  // Buttons: each carries a command line, run as if typed.
  app.action<BlockAction<ButtonAction | OverflowAction>>(RUN_ACTION_PATTERN, tracked<[SlackActionMiddlewareArgs<BlockAction<ButtonAction | OverflowAction>> & AllMiddlewareArgs]>(async ({ ack, body, action, client }) => {
    await ack();
    const target: ReplyTarget = {
      userId: body.user.id,
      channel: body.channel?.id ?? (typeof body.container?.channel_id === 'string' ? body.container.channel_id : undefined),
      responseUrl: body.response_url,
      newMessage: true,
    };
    await guarded({ source: 'button' }, target, client, async () => {
      // An item's overflow menu carries its lines as option values.
      const line = ((action.type === 'overflow' ? action.selected_option.value : action.value) ?? '').trim();
      const command = line.split(/\s+/, 1)[0] ?? '';
      const invocation = router.parseText(command, line.slice(command.length));
      const caller = { ...slackCaller(identityFromInteraction(body), lookupUser(client), groupMembers(client)), readUpload: refuseTypedFile };
      const { answer } = await run(caller, invocation, 'button');
      await answerWith(client, answer, target, body.trigger_id);
    });
  }));

  // Modal submissions: what can be judged without the database is answered in the ack (refused
  // fields inline; the database known down: said inline, so what was typed stays in the modal);
  // otherwise the modal closes at once and the work runs after, with a deadline, once per view.
  app.view<ViewSubmitAction>({ callback_id: FORM_CALLBACK_ID, type: 'view_submission' }, tracked<[SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs]>(async ({ ack, body, view, client }) => {
    const blockIds = inputBlockIds(view);
    const meta = parseMetadata(view.private_metadata);
    if (!meta) {
      await ack({ response_action: 'errors', errors: viewErrors(blockIds, {}, 'This form has expired. Close it and run the command again.') });
      return;
    }
    const typed = readViewValues(view.state.values);
    const invocation: Invocation = {
      command: meta.submit.command,
      subcommand: meta.submit.subcommand,
      args: { ...meta.submit.args, ...typed },
      submitted: true,
      once: `slack:${view.id}`,
    };
    const early = router.check(invocation);
    if (early) {
      const message = early.answer.kind === 'reply' ? toPlainText(early.answer) : 'Please check the form.';
      const note = early.databaseDown ? `${message} What you typed stays here: submit again in a minute.` : message;
      await ack({ response_action: 'errors', errors: viewErrors(blockIds, early.fieldErrors ?? {}, note) });
      return;
    }
    await ack();
    const target: ReplyTarget = { userId: body.user.id, channel: meta.channel, responseUrl: meta.response_url, newMessage: true };
    await guarded({ source: 'form', command: invocation.command, subcommand: invocation.subcommand }, target, client, async () => {
      const caller = { ...slackCaller(identityFromInteraction(body), lookupUser(client), groupMembers(client)), readUpload: (raw: unknown) => downloadFile(client, raw) };
      const work = run(caller, invocation, 'form');
      const late = await withDeadline(work, FORM_DEADLINE_MS);
      if (late === 'late') {
        await deliver(client, textReply(FORM_LATE), target);
        logger.warn({ command: invocation.command, subcommand: invocation.subcommand, deadlineMs: FORM_DEADLINE_MS }, 'slack form: past its deadline, still running');
      }
      const outcome = await work;
      if (outcome.answer.kind === 'form') return answerWith(client, outcome.answer, target, body.trigger_id);
      // Refused after all (a rule that needs the database) or cut off: offer the form again with what was typed.
      if (outcome.fieldErrors || outcome.databaseDown) await deliverWithReopen(client, outcome.answer, target, { ...meta.submit, typed, labels: readViewLabels(view.state.values) });
      else await deliver(client, outcome.answer, target);
    });
  }));

  // Message shortcuts ("Log to influencer"): the message, as plain text with its permalink and the
  // moment it was sent, runs the entry's subcommand, which opens its form prefilled.
  for (const { action } of router.messageActions) {
    app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: action.id }, tracked<[SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs]>(async ({ ack, shortcut, client }) => {
      await ack();
      const target: ReplyTarget = { userId: shortcut.user.id, channel: shortcut.channel.id, responseUrl: shortcut.response_url, newMessage: true };
      await guarded({ source: 'message_shortcut', shortcut: action.id }, target, client, async () => {
        const ts = shortcut.message.ts ?? shortcut.message_ts;
        const message = { text: plainMessageText(String(shortcut.message.text ?? '')), link: await permalink(client, shortcut.channel.id, ts, shortcut.team?.domain), sentAt: messageSentAt(ts) };
        const invocation = router.messageInvocation(action.id, message);
        if (!invocation) return;
        const caller = slackCaller(identityFromInteraction(shortcut), lookupUser(client), groupMembers(client));
        const { answer } = await run(caller, invocation, 'message_shortcut');
        await answerWith(client, answer, target, shortcut.trigger_id);
      });
    }));
  }

  /** chat.getPermalink; when it cannot answer, the link as Slack documents building it. */
  async function permalink(client: webApi.WebClient, channel: string, ts: string, domain: string | undefined): Promise<string> {
    try {
      const { permalink: link } = await client.chat.getPermalink({ channel, message_ts: ts });
      if (link) return link;
    } catch (error) {
      logger.warn({ err: describeError(error) }, 'chat.getPermalink failed; building the link');
    }
    return builtPermalink(domain ?? 'app', channel, ts);
  }

  // Typeaheads in forms (external_select): the command's suggestions for the field being typed.
  // Slack waits 3 s for the options; past SUGGEST_BUDGET_MS none are offered rather than none shown.
  app.options<'block_suggestion'>({ type: 'block_suggestion' }, tracked<[SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs]>(async ({ ack, body, client }) => {
    const suggestion = body as BlockSuggestion;
    const meta = parseMetadata(suggestion.view?.private_metadata ?? '');
    if (!meta) {
      await ack({ options: [] });
      return;
    }
    const caller = slackCaller(identityFromInteraction(suggestion), lookupUser(client), groupMembers(client));
    const found = router.suggest(caller, meta.submit.command, meta.submit.subcommand, suggestion.block_id, suggestion.value ?? '');
    const choices = await withTimeout(found, SUGGEST_BUDGET_MS).catch((err: unknown) => {
      logger.error({ err: describeError(err) }, 'slack typeahead failed');
      return [];
    });
    await ack({ options: (choices ?? []).map((choice) => ({ text: { type: 'plain_text' as const, text: clipText(choice.name, MAX_OPTION_TEXT_LENGTH) }, value: choice.value })) });
  }));

  // "Open the form again": the same form, with what the person had typed.
  app.action<BlockAction<ButtonAction>>(REOPEN_ACTION_PATTERN, tracked<[SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs]>(async ({ ack, body, action, client }) => {
    await ack();
    const target: ReplyTarget = { userId: body.user.id, responseUrl: body.response_url, newMessage: true };
    await guarded({ source: 'reopen' }, target, client, async () => {
      const saved = reopenPayload.safeParse(safeJsonParse(action.value ?? ''));
      if (!saved.success) return deliver(client, textReply('This button is out of date. Run the command again.'), target);
      const { command, subcommand, args, typed, labels = {} } = saved.data;
      const caller = slackCaller(identityFromInteraction(body), lookupUser(client), groupMembers(client));
      const { answer } = await run(caller, { command, subcommand, args, prefill: typed }, 'reopen');
      // A typeahead's pick comes back with its text (a creator's name, not only its id).
      const shown: Answer = answer.kind === 'form' ? { ...answer, fields: answer.fields.map((f) => (labels[f.name] && f.initial === typed[f.name] ? { ...f, initialLabel: labels[f.name] } : f)) } : answer;
      await answerWith(client, shown, target, body.trigger_id);
    });
  }));

  /** The answer, and a button that opens the form again with what was typed (when it fits in the button). */
  async function deliverWithReopen(client: webApi.WebClient, answer: Reply, target: ReplyTarget, saved: z.infer<typeof reopenPayload>) {
    const value = JSON.stringify(saved);
    if (value.length > MAX_BUTTON_VALUE_LENGTH) return deliver(client, answer, target);
    const button = { type: 'actions', elements: [{ type: 'button', action_id: `${REOPEN_ACTION_PREFIX}0`, text: { type: 'plain_text', text: 'Open the form again' }, value }] };
    await deliver(client, answer, target, [button]);
  }

  /**
   * The Web API client of a workspace: with the OAuth install, one holding that workspace's own bot
   * token (a scheduled post has no incoming request for Bolt to authorize); else the app's.
   */
  async function clientFor(workspaceExternalId: string | undefined): Promise<webApi.WebClient> {
    if (!oauth) return app.client;
    const token = workspaceExternalId ? await oauth.installations.botToken(workspaceExternalId) : undefined;
    if (!token) throw new Error(`no Slack installation for workspace ${workspaceExternalId ?? '(none given)'}: the app was uninstalled or never installed there`);
    return new webApi.WebClient(token, { ...webClientOptions, logger: boltLogger(logger) });
  }

  async function postMessage(channel: string, reply: Reply, mark?: PostMark, workspaceExternalId?: string) {
    const metadata = mark ? { metadata: { event_type: POST_MARK_EVENT, event_payload: { run: mark.run, index: mark.index } } } : {};
    const client = await clientFor(workspaceExternalId);
    const result = await client.chat.postMessage({ channel, ...renderReply(reply, await namesFor(client, reply)), ...metadata });
    if (reply.files?.length) {
      // The message went out: a failed upload is logged, never thrown, so a retry cannot post the message twice.
      await uploadFiles(client, channel, reply.files).catch((err: unknown) =>
        logger.error({ err: describeError(err), channel, files: reply.files?.length }, 'slack: the post went out but its files could not be uploaded'),
      );
    }
    return { ts: result.ts ?? '' };
  }

  async function findPost(channel: string, mark: PostMark, since: Date, workspaceExternalId?: string) {
    const client = await clientFor(workspaceExternalId);
    let cursor: string | undefined;
    for (let page = 0; page < FIND_MAX_PAGES; page++) {
      const history = await client.conversations.history({
        channel,
        oldest: ((since.getTime() - FIND_SKEW_MS) / 1000).toFixed(6),
        include_all_metadata: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const found = history.messages?.find((m) => {
        const meta = m.metadata as { event_type?: string; event_payload?: { run?: unknown; index?: unknown } } | undefined;
        return meta?.event_type === POST_MARK_EVENT && meta.event_payload?.run === mark.run && meta.event_payload?.index === mark.index;
      });
      if (found?.ts) return { ts: found.ts };
      cursor = history.response_metadata?.next_cursor || undefined;
      if (!history.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  const channelOf = async (to: Destination) => ('channelId' in to ? to.channelId : directChannel(await clientFor(to.workspaceExternalId), to.userId));
  const poster: Poster = Object.assign(
    async (to: Destination, reply: Reply, mark?: PostMark) => ({ id: (await postMessage(await channelOf(to), reply, mark, to.workspaceExternalId)).ts }),
    {
      find: async (to: Destination, mark: PostMark, since: Date) => {
        const found = await findPost(await channelOf(to), mark, since, to.workspaceExternalId);
        return found && { id: found.ts };
      },
    },
  );

  return {
    app,
    postMessage,
    findPost,
    poster,
    async start() {
      await app.init();
      if (socketMode) {
        await app.start();
      } else {
        server = (await app.start(options.port)) as Server;
      }
      started = true;
    },
    /** Stops taking requests, then waits for those in flight to finish, their answers included. */
    async stop() {
      if (!started) return;
      started = false;
      await app.stop();
      server = undefined;
      await Promise.allSettled([...inFlight]);
    },
    listeningPort() {
      const address = server?.address();
      return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
    },
  };
}

/** JSON of what to run and where to answer; the response_url goes first when it does not fit in Slack's 3000 characters. */
function metadataFor(form: Form, target: ReplyTarget): string {
  const full: FormMetadata = {
    submit: form.submit,
    ...(target.channel ? { channel: target.channel } : {}),
    ...(target.responseUrl ? { response_url: target.responseUrl } : {}),
  };
  const candidates = [full, { ...full, response_url: undefined }, { submit: form.submit }].map((m) => JSON.stringify(m));
  const fitting = candidates.find((json) => json.length <= MAX_PRIVATE_METADATA_LENGTH);
  if (!fitting) throw new Error(`form arguments for ${form.submit.command} ${form.submit.subcommand} exceed Slack's private_metadata limit`);
  return fitting;
}

function parseMetadata(raw: string): FormMetadata | undefined {
  try {
    const parsed = formMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function inputBlockIds(view: ViewSubmitAction['view']): string[] {
  const fromBlocks = (view.blocks ?? [])
    .filter((b): b is typeof b & { block_id: string } => b.type === 'input' && typeof b.block_id === 'string')
    .map((b) => b.block_id);
  return fromBlocks.length > 0 ? fromBlocks : Object.keys(view.state?.values ?? {});
}

async function postToResponseUrl(url: string, body: SlackMessage & Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  await res.body?.cancel();
}

/** Name, message, Slack error code and stack: never request bodies, which carry what people typed. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const withCode = error as Error & { code?: unknown; data?: { error?: unknown } };
  return {
    type: error.name,
    message: error.message,
    ...(withCode.code !== undefined ? { code: withCode.code } : {}),
    ...(withCode.data?.error !== undefined ? { slackError: withCode.data.error } : {}),
    stack: error.stack,
  };
}

/** Bolt and its WebClient log through our logger; the level is our logger's business. */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write = (fn: (obj: object, msg?: string) => void) => (...messages: unknown[]) => {
    const errors = messages.filter((m): m is Error => m instanceof Error);
    const text = messages.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : safeJson(m))).join(' ');
    fn.call(logger, { source: 'bolt', ...(errors[0] ? { err: describeError(errors[0]) } : {}) }, text);
  };
  return {
    debug: write(logger.debug),
    info: write(logger.info),
    warn: write(logger.warn),
    error: write(logger.error),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

import { createHmac } from 'node:crypto';

/**
 * Requests as Slack sends them to `POST /slack/events`: form-encoded, signed with the app's
 * signing secret (`v0=` HMAC-SHA256 of `v0:<timestamp>:<body>`). Slash commands are plain form
 * fields; interactions (buttons, modal submissions) are one `payload=<json>` field.
 */

export interface SlackUser {
  teamId: string;
  userId: string;
  userName?: string;
  enterpriseId?: string;
  /** Org-wide install: the workspace is the enterprise. */
  enterpriseInstall?: boolean;
}

export interface SignOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Sign with another secret (a forged request). */
  secret?: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when empty or not JSON. */
  json: any;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * A Slack stand-in that posts to the app under test. `responseBase` is where response_urls
 * point (the recording API); each request gets its own `/response/<n>` path and `trigger-<n>` id,
 * so a test awaits exactly its own answer.
 */
export function slackRequests(options: { url: string; signingSecret: string; responseBase: string; user?: SlackUser; channelId?: string }) {
  const defaultUser: SlackUser = options.user ?? { teamId: 'T0TEAM', userId: 'U0ALICE', userName: 'alice' };
  const channelId = options.channelId ?? 'C0GENERAL';
  let counter = 0;
  const next = () => {
    counter += 1;
    return { responseUrl: `${options.responseBase}/response/${counter}`, triggerId: `trigger-${counter}` };
  };

  async function post(body: string, sign: SignOptions = {}): Promise<SlackResponse> {
    const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`${options.url}/slack/events`, {
      method: 'POST',
      headers: {
        // Bolt compares the content type exactly: no charset.
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(sign.secret ?? options.signingSecret, timestamp, body),
      },
      body,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  const interaction = (payload: object, sign?: SignOptions) => post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), sign);

  const teamOf = (user: SlackUser) => (user.enterpriseInstall ? null : { id: user.teamId, domain: 'acme' });
  const enterpriseOf = (user: SlackUser) => (user.enterpriseId ? { id: user.enterpriseId, name: 'Acme Corp' } : null);

  /** A `block_actions` payload: one action on a message the bot sent in the default channel. */
  async function blockAction(action: object, ephemeral: boolean, opts: { user?: SlackUser; sign?: SignOptions }) {
    const user = opts.user ?? defaultUser;
    const ids = next();
    const response = await interaction(
      {
        type: 'block_actions',
        user: { id: user.userId, username: user.userName ?? 'someone', name: user.userName ?? 'someone', team_id: user.teamId },
        api_app_id: 'A0APP',
        token: 'legacy-verification-token',
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: channelId, is_ephemeral: ephemeral },
        trigger_id: ids.triggerId,
        team: teamOf(user),
        enterprise: enterpriseOf(user),
        is_enterprise_install: Boolean(user.enterpriseInstall),
        channel: { id: channelId, name: 'general' },
        state: { values: {} },
        response_url: ids.responseUrl,
        actions: [action],
      },
      opts.sign,
    );
    return { ...ids, response };
  }

  return {
    post,

    /** `/influencer add ...` as typed; `text` already escaped the way Slack escapes it (`<@U123|maria>`). */
    async command(command: string, text: string, opts: { user?: SlackUser; sign?: SignOptions; channelId?: string } = {}) {
      const user = opts.user ?? defaultUser;
      const ids = next();
      const body = new URLSearchParams({
        token: 'legacy-verification-token',
        team_id: user.teamId,
        team_domain: 'acme',
        ...(user.enterpriseId ? { enterprise_id: user.enterpriseId, enterprise_name: 'Acme Corp' } : {}),
        channel_id: opts.channelId ?? channelId,
        channel_name: 'general',
        user_id: user.userId,
        user_name: user.userName ?? 'someone',
        command,
        text,
        api_app_id: 'A0APP',
        is_enterprise_install: String(Boolean(user.enterpriseInstall)),
        response_url: ids.responseUrl,
        trigger_id: ids.triggerId,
      }).toString();
      return { ...ids, response: await post(body, opts.sign) };
    },

    /** A choice in an overflow menu (an item's actions) of a message the bot sent. */
    choose(overflow: { action_id: string }, value: string, opts: { user?: SlackUser; sign?: SignOptions } = {}) {
      return blockAction(
        { type: 'overflow', block_id: 'b1', action_id: overflow.action_id, selected_option: { text: { type: 'plain_text', text: 'option', emoji: true }, value }, action_ts: '1700000001.000200' },
        false,
        opts,
      );
    },

    /** A click on a button of a message the bot sent (ephemeral messages included). */
    click(button: { action_id: string; value: string; text?: { text: string } }, opts: { user?: SlackUser; sign?: SignOptions } = {}) {
      return blockAction(
        { type: 'button', block_id: 'b1', action_id: button.action_id, text: { type: 'plain_text', text: button.text?.text ?? 'button', emoji: true }, value: button.value, action_ts: '1700000001.000200' },
        true,
        opts,
      );
    },

    /** A message shortcut (`message_action`) picked from a message's menu in the default channel. */
    async messageShortcut(callbackId: string, message: { ts: string; text: string; user?: string }, opts: { user?: SlackUser; sign?: SignOptions } = {}) {
      const user = opts.user ?? defaultUser;
      const ids = next();
      const response = await interaction(
        {
          type: 'message_action',
          token: 'legacy-verification-token',
          action_ts: '1795167100.000300',
          team: teamOf(user),
          user: { id: user.userId, username: user.userName ?? 'someone', name: user.userName ?? 'someone', team_id: user.teamId },
          channel: { id: channelId, name: 'general' },
          is_enterprise_install: Boolean(user.enterpriseInstall),
          enterprise: enterpriseOf(user),
          callback_id: callbackId,
          trigger_id: ids.triggerId,
          response_url: ids.responseUrl,
          message_ts: message.ts,
          message: { type: 'message', user: message.user ?? 'U0ZOE', ts: message.ts, text: message.text },
        },
        opts.sign,
      );
      return { ...ids, response };
    },

    /** What a typeahead (external_select) in an open modal asks while `value` is typed into block `blockId`. */
    async suggest(view: any, blockId: string, value: string, opts: { user?: SlackUser; sign?: SignOptions } = {}) {
      const user = opts.user ?? defaultUser;
      return interaction(
        {
          type: 'block_suggestion',
          user: { id: user.userId, username: user.userName ?? 'someone', name: user.userName ?? 'someone', team_id: user.teamId },
          container: { type: 'view', view_id: 'V0VIEWOPEN' },
          api_app_id: 'A0APP',
          token: 'legacy-verification-token',
          action_id: 'value',
          block_id: blockId,
          value,
          team: teamOf(user),
          enterprise: enterpriseOf(user),
          is_enterprise_install: Boolean(user.enterpriseInstall),
          view: { id: 'V0VIEWOPEN', team_id: user.teamId, type: 'modal', blocks: view.blocks, private_metadata: view.private_metadata, callback_id: view.callback_id, state: { values: {} }, hash: '1700000000.abcdef', app_id: 'A0APP', app_installed_team_id: user.teamId, bot_id: 'B0BOT' },
        },
        opts.sign,
      );
    },

    /**
     * Submits a modal the app opened (`view` as sent to views.open). Fields not in `answers`
     * keep their initial values, as in Slack; `''` clears one.
     */
    /** `labels`: the texts of the options picked in typeaheads, by block id (default: the value). */
    async submit(view: any, answers: Record<string, string>, opts: { user?: SlackUser; sign?: SignOptions; viewId?: string; labels?: Record<string, string> } = {}) {
      const user = opts.user ?? defaultUser;
      const ids = next();
      // Each opened modal has its own id; the same id twice is the same view submitted again.
      const viewId = opts.viewId ?? `V0VIEW${ids.triggerId.replace(/\D/g, '')}`;
      const response = await interaction(
        {
          type: 'view_submission',
          team: teamOf(user),
          user: { id: user.userId, username: user.userName ?? 'someone', name: user.userName ?? 'someone', team_id: user.teamId },
          api_app_id: 'A0APP',
          token: 'legacy-verification-token',
          trigger_id: ids.triggerId,
          view: {
            id: viewId,
            team_id: user.teamId,
            type: 'modal',
            blocks: view.blocks,
            private_metadata: view.private_metadata,
            callback_id: view.callback_id,
            state: { values: stateValues(view.blocks, answers, opts.labels) },
            hash: '1700000000.abcdef',
            title: view.title,
            clear_on_close: false,
            notify_on_close: false,
            close: view.close ?? null,
            submit: view.submit ?? null,
            previous_view_id: null,
            root_view_id: viewId,
            app_id: 'A0APP',
            external_id: '',
            app_installed_team_id: user.teamId,
            bot_id: 'B0BOT',
          },
          response_urls: [],
          is_enterprise_install: Boolean(user.enterpriseInstall),
          enterprise: enterpriseOf(user),
        },
        opts.sign,
      );
      return { ...ids, response };
    },
  };
}

export type SlackRequests = ReturnType<typeof slackRequests>;

/** `view.state.values` as Slack builds it from the input blocks and what the person entered. */
export function stateValues(blocks: any[], answers: Record<string, string>, labels: Record<string, string> = {}): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    if (block.type !== 'input') continue;
    const element = block.element;
    const given = answers[block.block_id];
    const blank = given === '';
    let state: Record<string, unknown>;
    switch (element.type) {
      case 'static_select': {
        const option = given ? element.options.find((o: any) => o.value === given) ?? { text: { type: 'plain_text', text: given }, value: given } : undefined;
        state = { type: element.type, selected_option: blank ? null : (option ?? element.initial_option ?? null) };
        break;
      }
      case 'external_select':
        state = { type: element.type, selected_option: blank ? null : given ? { text: { type: 'plain_text', text: labels[block.block_id] ?? given }, value: given } : (element.initial_option ?? null) };
        break;
      case 'datepicker':
        state = { type: element.type, selected_date: blank ? null : (given ?? element.initial_date ?? null) };
        break;
      case 'users_select':
        state = { type: element.type, selected_user: blank ? null : (given ?? element.initial_user ?? null) };
        break;
      default:
        state = { type: element.type, value: blank ? null : (given ?? element.initial_value ?? null) };
    }
    values[block.block_id] = { [element.action_id]: state };
  }
  return values;
}

import { readFileSync } from 'node:fs';
import type { Client } from 'discord.js';

/**
 * Raw INTERACTION_CREATE payloads (the gateway event's `d`), built from the recorded shapes in
 * test/fixtures/discord and handed to the real discord.js client exactly where its gateway
 * handler hands them: `client.actions.InteractionCreate.handle(d)`.
 */

type Raw = Record<string, any>;

const fixture = (name: string): Raw =>
  JSON.parse(readFileSync(new URL(`../fixtures/discord/${name}.json`, import.meta.url), 'utf8')) as Raw;

const FIXTURES = {
  chatInput: fixture('chat-input'),
  autocomplete: fixture('autocomplete'),
  button: fixture('button'),
  modalSubmit: fixture('modal-submit'),
};

export const APPLICATION_ID = '1300000000000000001';
export const GUILD_A = '1100000000000000001';
export const GUILD_B = '1100000000000000002';
export const USER_MARIA = '1500000000000000001';
export const USER_SAM = '1500000000000000002';
/** Administrator (8) and Manage Server (32) plus the usual member permissions. */
export const ADMIN_PERMISSIONS = '2248473465835113';
export const MEMBER_PERMISSIONS = '2248473465835073';

/** Discord's option types, as they appear in payloads. */
export const OptionType = { Subcommand: 1, String: 3, Integer: 4, Boolean: 5, User: 6 } as const;

export interface Who {
  guildId?: string | null;
  userId?: string;
  permissions?: string;
  /** Role ids of the member (payment managers may be a role). */
  roles?: string[];
}

export interface RawOption {
  name: string;
  type: number;
  value: string | number | boolean;
  focused?: boolean;
}

let sequence = 0n;

/** A fresh interaction id and token, so every request it causes has its own path. */
function envelope(base: Raw, who: Who): Raw {
  sequence += 1n;
  const d = structuredClone(base);
  d.id = String(1400000000000000000n + 1000n + sequence);
  d.token = `interaction-token-${d.id}`;
  const guildId = who.guildId === undefined ? GUILD_A : who.guildId;
  const user = { ...d.member.user, id: who.userId ?? USER_MARIA, username: `user${who.userId ?? USER_MARIA}` };
  if (guildId === null) {
    // A DM: no guild, no member; the user sits at the top level and the channel is a DM.
    delete d.guild_id;
    delete d.guild;
    delete d.guild_locale;
    delete d.member;
    d.user = user;
    d.context = 1;
    d.authorizing_integration_owners = { '1': user.id };
    d.channel = { flags: 0, id: '1200000000000000900', last_message_id: null, recipients: [user], type: 1 };
    d.channel_id = d.channel.id;
    if (d.data?.guild_id) delete d.data.guild_id;
    return d;
  }
  d.guild_id = guildId;
  d.guild.id = guildId;
  d.channel.guild_id = guildId;
  d.authorizing_integration_owners = { '0': guildId };
  if (d.data?.guild_id) d.data.guild_id = guildId;
  d.member.user = user;
  d.member.permissions = who.permissions ?? MEMBER_PERMISSIONS;
  d.member.roles = who.roles ?? [];
  return d;
}

/** `/influencer <subcommand> option:value...` as Discord sends it (type 2). User options get their `resolved` entry. */
export function slashCommand(subcommand: string, options: RawOption[] = [], who: Who = {}, command = 'influencer'): Raw {
  const d = envelope(FIXTURES.chatInput, who);
  d.data.name = command;
  d.data.options = [{ name: subcommand, type: OptionType.Subcommand, ...(options.length > 0 ? { options } : {}) }];
  const users = options.filter((o) => o.type === OptionType.User);
  if (users.length > 0) {
    d.data.resolved = {
      users: Object.fromEntries(users.map((o) => [o.value, { ...d.member?.user, id: String(o.value), username: `user${o.value}` }])),
    };
  }
  return d;
}

/** A message id (snowflake) of a message sent at `iso`: Discord's ids carry their moment. */
export const snowflakeAt = (iso: string, increment = 0): string => (((BigInt(Date.parse(iso)) - 1_420_070_400_000n) << 22n) + BigInt(increment)).toString();

/**
 * A message context-menu command (`Log to influencer` under a message's Apps menu): type 2 with
 * `data.type` 3, the picked message in `data.resolved.messages` under `data.target_id`.
 */
export function messageMenu(name: string, message: { id: string; content: string; authorId?: string; mentions?: Array<{ id: string; username: string; global_name?: string }> }, who: Who = {}): Raw {
  const d = envelope(FIXTURES.chatInput, who);
  const author = { id: message.authorId ?? '1500000000000000099', username: 'zoe.creates', global_name: 'Zoë', discriminator: '0', avatar: null };
  d.data = {
    id: '1310000000000000009',
    name,
    type: 3,
    target_id: message.id,
    ...(d.guild_id ? { guild_id: d.guild_id } : {}),
    resolved: {
      messages: {
        [message.id]: {
          id: message.id,
          type: 0,
          channel_id: d.channel_id,
          content: message.content,
          author,
          timestamp: new Date(Number((BigInt(message.id) >> 22n) + 1_420_070_400_000n)).toISOString(),
          edited_timestamp: null,
          tts: false,
          mention_everyone: false,
          mentions: (message.mentions ?? []).map((user) => ({ discriminator: '0', avatar: null, global_name: null, ...user })),
          mention_roles: [],
          attachments: [],
          embeds: [],
          components: [],
          pinned: false,
          flags: 0,
        },
      },
    },
  };
  return d;
}

/** The user is typing into `focusedOption` (type 4). */
export function autocomplete(subcommand: string, focusedOption: string, typed: string, who: Who = {}, command = 'influencer'): Raw {
  const d = envelope(FIXTURES.autocomplete, who);
  d.data.name = command;
  d.data.options = [{ name: subcommand, type: OptionType.Subcommand, options: [{ name: focusedOption, type: OptionType.String, value: typed, focused: true }] }];
  return d;
}

/** A click on a button with `customId`, on an ephemeral bot message (type 3). */
export function buttonClick(customId: string, who: Who = {}): Raw {
  const d = envelope(FIXTURES.button, who);
  d.data.custom_id = customId;
  d.message.components = [{ id: 1, type: 1, components: [{ custom_id: customId, id: 2, label: 'Button', style: 2, type: 2 }] }];
  return d;
}

/** A choice in a string select menu `customId` (type 3, component_type 3), on a channel message. */
export function selectPick(customId: string, values: string[], who: Who = {}): Raw {
  const d = envelope(FIXTURES.button, who);
  d.data = { custom_id: customId, component_type: 3, values };
  d.message.components = [{ id: 1, type: 1, components: [{ custom_id: customId, id: 2, type: 3, options: values.map((value) => ({ label: value, value })) }] }];
  return d;
}

/** A submitted modal (type 5): one action row per text input, values as typed. */
export function modalSubmit(customId: string, values: Record<string, string>, who: Who = {}): Raw {
  const d = envelope(FIXTURES.modalSubmit, who);
  let id = 0;
  d.data = {
    custom_id: customId,
    components: Object.entries(values).map(([name, value]) => ({
      type: 1,
      id: ++id,
      components: [{ type: 4, id: ++id, custom_id: name, value }],
    })),
  };
  return d;
}

/** What the gateway's INTERACTION_CREATE handler does with the event. */
export function dispatch(client: Client, d: Raw): void {
  (client as unknown as { actions: { InteractionCreate: { handle(data: Raw): void } } }).actions.InteractionCreate.handle(d);
}

/** The path of the interaction callback Discord expects for `d` (under the REST base and version). */
export const callbackPath = (d: Raw) => `/interactions/${d.id}/${d.token}/callback`;
/** The path of edits to the original response and of follow-ups. */
export const webhookPath = (d: Raw) => `/webhooks/${d.application_id}/${d.token}`;

import { z } from 'zod';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { argumentNames, isChannelPicker, takesUpload, userRef, type CommandDefinition, type Subcommand } from '../../core';

/**
 * Slash-command JSON generated from the same zod schemas the router validates with, so a
 * Discord option can never disagree with Slack or the console about names, types or choices.
 * Pure: no client, no network.
 */

/** Discord's limits for application commands (developer docs, "Application Commands"). */
export const MAX_NAME_LENGTH = 32;
export const MAX_DESCRIPTION_LENGTH = 100;
export const MAX_OPTIONS = 25;
export const MAX_SUBCOMMANDS = 25;
export const MAX_CHOICES = 25;
export const MAX_CHOICE_NAME_LENGTH = 100;
export const MAX_CHOICE_VALUE_LENGTH = 100;
export const MAX_STRING_OPTION_LENGTH = 6000;
/** Integer and number options must lie within -2^53..2^53. */
export const MAX_NUMBER_OPTION_VALUE = 2 ** 53;
/** Names, descriptions, choice names and values of one command together (options included). */
export const MAX_COMMAND_CHARACTERS = 8000;
export const NAME_PATTERN = /^[-_\p{L}\p{N}]{1,32}$/u;

/** Options that suggest records as you type: a creator, a collaboration, a payment, a content item (a name, title, link or id). */
export const AUTOCOMPLETE_OPTIONS: ReadonlySet<string> = new Set(['who', 'collab', 'payment', 'content']);

/** Where a channel option may point: text and announcement channels, where the bot can post. */
export const POSTABLE_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

const HELP_DESCRIPTION = 'Every subcommand with an example';

/** The option or command name Discord sees for an argument name. Throws for a name Discord would refuse. */
export function toDiscordName(name: string): string {
  const lower = name.toLowerCase();
  if (!NAME_PATTERN.test(lower)) {
    throw new Error(`"${name}" cannot be a Discord command or option name (1-32 letters, digits, - or _)`);
  }
  return lower;
}

/** One chat-input command per definition, one subcommand per subcommand plus `help`. */
export function buildDiscordCommands(commands: readonly CommandDefinition[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => {
    const subcommands = Object.entries(command.subcommands).map(([name, sub]) => subcommandOption(name, sub));
    if (!('help' in command.subcommands)) {
      subcommands.push({ type: ApplicationCommandOptionType.Subcommand, name: 'help', description: HELP_DESCRIPTION });
    }
    if (subcommands.length > MAX_SUBCOMMANDS) {
      throw new Error(`/${command.name} has ${subcommands.length} subcommands; Discord allows ${MAX_SUBCOMMANDS}`);
    }
    const json: RESTPostAPIChatInputApplicationCommandsJSONBody = {
      type: ApplicationCommandType.ChatInput,
      name: toDiscordName(command.name),
      description: describe(command.description, command.name),
      // Records belong to a server: the commands are offered in servers only, never in DMs.
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
      options: subcommands,
    };
    const size = commandCharacters(json);
    if (size > MAX_COMMAND_CHARACTERS) {
      throw new Error(`/${command.name} has ${size} characters of names and descriptions; Discord allows ${MAX_COMMAND_CHARACTERS}`);
    }
    return json;
  });
}

/** A context-menu command's name: 1-32 characters; unlike slash commands, capitals and spaces are allowed. */
export const MAX_CONTEXT_MENU_NAME_LENGTH = 32;

/**
 * One message context-menu command per message action (`Log to influencer` under a message's
 * Apps menu). Discord gives these no description and no options: the message is the input.
 */
export function buildMessageCommands(commands: readonly CommandDefinition[]): RESTPostAPIContextMenuApplicationCommandsJSONBody[] {
  return commands.flatMap((command) =>
    (command.messageActions ?? []).map((action) => {
      if (action.title.trim() !== action.title || action.title.length < 1 || action.title.length > MAX_CONTEXT_MENU_NAME_LENGTH) {
        throw new Error(`"${action.title}" cannot be a Discord context-menu command name (1-${MAX_CONTEXT_MENU_NAME_LENGTH} characters, no surrounding spaces)`);
      }
      return {
        type: ApplicationCommandType.Message,
        name: action.title,
        contexts: [InteractionContextType.Guild],
        integration_types: [ApplicationIntegrationType.GuildInstall],
      };
    }),
  );
}

/** What Discord counts against MAX_COMMAND_CHARACTERS. */
export function commandCharacters(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + commandCharacters(item), 0);
  if (!node || typeof node !== 'object') return 0;
  let total = 0;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'name' || key === 'description' || key === 'value') && (typeof value === 'string' || typeof value === 'number')) {
      total += String(value).length;
    } else if (key === 'options' || key === 'choices') {
      total += commandCharacters(value);
    }
  }
  return total;
}

export function subcommandOption(name: string, sub: Subcommand): APIApplicationCommandSubcommandOption {
  const options = optionsFor(sub);
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: toDiscordName(name),
    description: describe(sub.description, name),
    ...(options.length > 0 ? { options } : {}),
  };
}

/**
 * Options in positional order, then the rest in schema order; required ones first because
 * Discord refuses a required option after an optional one. Beyond 25, the last optional ones
 * are left out: they stay reachable through the form and the text surfaces.
 *
 * A subcommand with a form has no required option on Discord: Discord never sends a command
 * whose required options are empty, so the bare `/influencer add` that opens the form could not
 * be sent. What is typed is validated after, by the same schema, with the same messages.
 */
export function optionsFor(sub: Subcommand): APIApplicationCommandBasicOption[] {
  const shape = schemaShape(sub);
  const positional = (sub.positional ?? []).filter((name) => name in shape);
  const ordered = [...positional, ...argumentNames(sub).filter((name) => !positional.includes(name))];
  const options = ordered.map((name) => optionFor(name, shape[name]!)).map((option) => (sub.form ? { ...option, required: false } : option));
  const required = options.filter((option) => option.required);
  const optional = options.filter((option) => !option.required);
  return [...required, ...optional].slice(0, MAX_OPTIONS);
}

/** Discord option name -> the argument name the schema expects. */
export function argumentNameFor(sub: Subcommand, optionName: string): string | undefined {
  return argumentNames(sub).find((name) => name.toLowerCase() === optionName);
}

function schemaShape(sub: Subcommand): Record<string, z.ZodType> {
  return (sub.input as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
}

/** What a field schema accepts once its wrappers are looked through. */
interface FieldInfo {
  kind: 'string' | 'integer' | 'number' | 'boolean' | 'user' | 'channel' | 'attachment';
  choices?: string[];
  description?: string;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
}

function optionFor(name: string, schema: z.ZodType): APIApplicationCommandBasicOption {
  const info = inspect(schema);
  const base = {
    name: toDiscordName(name),
    // Choices and typed pickers speak for themselves; free text gets the schema's format hint.
    description: describe(
      info.description ?? (info.kind === 'string' && !info.choices ? formatHint(schema) : undefined) ?? defaultDescription(name, info),
      name,
    ),
    required: !schema.safeParse(undefined).success,
  };
  switch (info.kind) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'user':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'channel':
      return { ...base, type: ApplicationCommandOptionType.Channel, channel_types: [...POSTABLE_CHANNEL_TYPES] };
    case 'attachment':
      return { ...base, type: ApplicationCommandOptionType.Attachment };
    case 'integer':
    case 'number':
      return {
        ...base,
        type: info.kind === 'integer' ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number,
        ...(info.minValue !== undefined && Math.abs(info.minValue) <= MAX_NUMBER_OPTION_VALUE ? { min_value: info.minValue } : {}),
        ...(info.maxValue !== undefined && Math.abs(info.maxValue) <= MAX_NUMBER_OPTION_VALUE ? { max_value: info.maxValue } : {}),
      } as APIApplicationCommandBasicOption;
    case 'string': {
      // More than 25 values cannot be offered as choices; the schema still validates what is typed.
      const choices =
        info.choices && info.choices.length <= MAX_CHOICES && info.choices.every((c) => c.length <= MAX_CHOICE_VALUE_LENGTH)
          ? info.choices.map((value) => ({ name: value.slice(0, MAX_CHOICE_NAME_LENGTH), value }))
          : undefined;
      const maxLength = info.maxLength !== undefined ? Math.min(info.maxLength, MAX_STRING_OPTION_LENGTH) : undefined;
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(choices ? { choices } : {}),
        ...(!choices && AUTOCOMPLETE_OPTIONS.has(base.name) ? { autocomplete: true } : {}),
        ...(!choices && maxLength !== undefined ? { max_length: maxLength } : {}),
      } as APIApplicationCommandBasicOption;
    }
  }
}

type AnyDef = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  checks?: Array<{ _zod: { def: { check: string; format?: string; maximum?: number; value?: unknown; inclusive?: boolean } } }>;
};

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: AnyDef } })._zod.def;

/** Looks through optional/nullable/default/preprocess/pipe wrappers to the type a user types. */
function inspect(schema: z.ZodType): FieldInfo {
  let current = schema;
  let description: string | undefined;
  for (let depth = 0; depth < 32; depth++) {
    description ??= z.globalRegistry.get(current)?.description;
    // The shared user reference (`<@id>`, `@id`, id) is a Discord user picker, whose value is the id.
    if (current === userRef) return { kind: 'user', description };
    // A schema marked `picker: 'channel'` (see `channelPicker` in core) is a channel picker, whose value is the id.
    if (isChannelPicker(current)) return { kind: 'channel', description };
    // A file argument is an attachment option: the person picks a file with the command.
    if (defOf(current).type === 'custom' && takesUpload(current)) return { kind: 'attachment', description };
    const def = defOf(current);
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        current = def.innerType!;
        continue;
      case 'pipe':
        // preprocess is pipe(transform, target): the target says what is accepted. Otherwise the input side does.
        current = defOf(def.in!).type === 'transform' ? def.out! : def.in!;
        continue;
      case 'lazy':
        current = def.getter!();
        continue;
      case 'boolean':
        return { kind: 'boolean', description };
      case 'number': {
        const checks = (def.checks ?? []).map((check) => check._zod.def);
        const isInt = checks.some((c) => c.check === 'number_format' && (c.format === 'safeint' || c.format?.startsWith('int')));
        // The tightest bound wins (`wholeNumber('page').min(1)` carries both >= 0 and >= 1).
        // Discord bounds are inclusive; an exclusive bound on an integer moves by one.
        const bound = (check: 'greater_than' | 'less_than') => {
          const values = checks
            .filter((c) => c.check === check && typeof c.value === 'number')
            .map((c) => (c.value as number) + (isInt && c.inclusive === false ? (check === 'greater_than' ? 1 : -1) : 0));
          if (values.length === 0) return undefined;
          return check === 'greater_than' ? Math.max(...values) : Math.min(...values);
        };
        const min = bound('greater_than');
        const max = bound('less_than');
        return {
          kind: isInt ? 'integer' : 'number',
          description,
          ...(min !== undefined ? { minValue: min } : {}),
          ...(max !== undefined ? { maxValue: max } : {}),
        };
      }
      case 'enum':
        return { kind: 'string', description, choices: Object.values(def.entries ?? {}).map(String) };
      case 'literal':
        return { kind: 'string', description, choices: (def.values ?? []).map(String) };
      case 'string': {
        const max = (def.checks ?? []).map((check) => check._zod.def).find((c) => c.check === 'max_length')?.maximum;
        return { kind: 'string', description, ...(typeof max === 'number' ? { maxLength: max } : {}) };
      }
      default:
        return { kind: 'string', description };
    }
  }
  return { kind: 'string', description };
}

const PROBE = '\u0000';

/**
 * The schema's own words about the accepted format ("birthday must be MM-DD or YYYY-MM-DD, like
 * 07-14"), found by asking it to parse a value nobody types. Only messages that do not echo the
 * value back are used.
 */
function formatHint(schema: z.ZodType): string | undefined {
  const result = schema.safeParse(PROBE);
  if (result.success) return undefined;
  const message = result.error.issues[0]?.message;
  if (!message || message.includes(PROBE) || !/\b(must|should)\b/.test(message)) return undefined;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

function defaultDescription(name: string, info: FieldInfo): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]+/g, ' ').toLowerCase();
  const readable = words.charAt(0).toUpperCase() + words.slice(1);
  if (AUTOCOMPLETE_OPTIONS.has(name)) return `${readable}: a name, @handle or id`;
  switch (info.kind) {
    case 'integer':
      return `${readable} (a whole number)`;
    case 'user':
      return `${readable} (a member of this server)`;
    case 'channel':
      return `${readable} (a channel of this server)`;
    default:
      return readable;
  }
}

/**
 * Discord descriptions are 1-100 characters, one line, in Discord's idiom: `key:value` is how
 * options are typed there too, so only the code marks go. A longer one is cut at a word, with an
 * ellipsis (and a cut word is never left half).
 */
export function describe(text: string, fallback: string): string {
  const flat = text.replace(/\s+/g, ' ').replace(/`/g, '').trim() || fallback;
  if (flat.length <= MAX_DESCRIPTION_LENGTH) return flat;
  const room = flat.slice(0, MAX_DESCRIPTION_LENGTH - 1);
  const lastSpace = room.lastIndexOf(' ');
  // A single word longer than the limit has nowhere to cut but inside it.
  const cut = lastSpace > MAX_DESCRIPTION_LENGTH / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.(\-–—]+$/, '')}…`;
}

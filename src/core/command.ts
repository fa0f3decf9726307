import type { z } from 'zod';
import { localDay, resolveDate, type CalendarDate, type DateInput } from './calendar';
import type { CadenceSettings } from './job';
import type { Answer, Form } from './reply';

/**
 * The domain services a command or job reaches through its context. Empty here on purpose:
 * src/domain/services.ts fills it by declaration merging, so core imports nothing from domain.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

export type Platform = 'slack' | 'discord' | 'console';

export interface WorkspaceInfo {
  id: string;
  platform: Platform;
  externalId: string;
  timezone: string;
  currency: string;
  /** The workspace's own cadences by stage (for the card's health); read with the workspace, so up to a minute old on another replica. */
  cadences?: CadenceSettings;
}

export interface Actor {
  /** Platform user id (Slack `U…`, Discord snowflake, `console` user name). */
  id: string;
  displayName?: string;
  /** Slack admin/owner, Discord Manage Server, always true on the console. Asked lazily: on Slack it costs an API call. */
  isAdmin(): Promise<boolean>;
  /**
   * Whether the actor belongs to a Slack user group (`S…`) or has a Discord role (snowflake), for
   * settings like payment managers that name a group. Optional and asked lazily: on Slack it costs
   * an API call. Absent means "no group membership is known" (the console).
   */
  memberOf?(groupId: string): Promise<boolean>;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CommandContext {
  workspace: WorkspaceInfo;
  actor: Actor;
  services: Services;
  now: Date;
  logger: Logger;
}

/** Raw arguments as the platform delivered them: strings from text, typed values from Discord. */
export type RawArgs = Record<string, unknown>;

export interface Subcommand<Input extends z.ZodType = z.ZodType> {
  description: string;
  /** Names given to positional words, in order (`find <query>` -> ['query']). */
  positional?: readonly string[];
  /**
   * The last positional name takes every remaining word (`log <who> <kind> <summary...>`).
   * `'text'`: those words are free text kept exactly as typed, spaces, quotes and punctuation
   * included (`She said "call me".`); only a single quoted span that is all of it loses its quotes,
   * and an argument of the subcommand typed inside it (`key:value`) is taken out. Else quotes group words.
   */
  restIsLastPositional?: boolean | 'text';
  /**
   * The first positional names a record (`<who>`, `<collab>`): true when `words` name exactly one.
   * Lets unquoted names of several words (`show ana lima`) resolve; asked only when the words as
   * split do not fit.
   */
  namesOne?(words: string, ctx: CommandContext): Promise<boolean>;
  /** The single source of validation, Discord option definitions and text argument parsing. */
  input: Input;
  /**
   * It stores a calendar day computed from the workspace's today or from a relative or partial date
   * (`today`, `in 3 days`, `Nov 28`, a default day, a month of publication): the router reads the
   * workspace fresh from the database first, never this process's cached copy, so a timezone just
   * changed on another replica decides it. A function says it per input (only when a date is given).
   */
  decidesDays?: boolean | ((input: z.output<Input>) => boolean);
  /** Typed examples for `help`. */
  examples: readonly string[];
  /** Returns a form to open instead of running (e.g. `add` with no arguments), or undefined. */
  form?(args: RawArgs, ctx: CommandContext): Form | undefined | Promise<Form | undefined>;
  run(input: z.output<Input>, ctx: CommandContext): Answer | Promise<Answer>;
}

/** One suggestion while an option is typed: the words shown, and the value sent (usually an id). */
export interface Choice {
  name: string;
  value: string;
}

/** A message a person picked from a platform's message menu, as plain text (mentions written as names). */
export interface SharedMessage {
  text: string;
  /** A link back to the message (Slack permalink, Discord jump link). */
  link: string;
  /** When it was sent. */
  sentAt: Date;
}

/**
 * An entry of the platforms' message menus (a Slack message shortcut, a Discord message
 * context-menu command): runs `subcommand` with arguments taken from the message, which usually
 * opens its form prefilled.
 */
export interface MessageAction {
  /** Stable id: Slack's callback_id (manifest.yml names it). Lower-case letters and `_`. */
  id: string;
  /** The menu entry as people see it; at most 32 characters (Discord's limit for a context-menu command). */
  title: string;
  /** One line on what it does (the Slack shortcut's description). */
  description: string;
  subcommand: string;
  args(message: SharedMessage): RawArgs;
}

export interface CommandDefinition {
  name: string;
  /** Entries of the message menus of Slack and Discord (the console has no messages to pick). */
  messageActions?: readonly MessageAction[];
  description: string;
  /** Rules the help states for every subcommand (how amounts and dates are read). */
  notes?: readonly string[];
  subcommands: Record<string, Subcommand>;
  /**
   * Records matching what is typed so far into `option` of `subcommand` (Discord autocomplete):
   * at most 25, best first; an empty list when the option suggests nothing.
   */
  suggest?(option: string, typed: string, subcommand: string, ctx: CommandContext): Promise<Choice[]>;
}

/** Keeps each subcommand's `run` typed by its own schema while the command stays one plain object. */
export function subcommand<Input extends z.ZodType>(definition: Subcommand<Input>): Subcommand {
  return definition as unknown as Subcommand;
}

/** True when the typed arguments are only these (e.g. just `<who>`: open the form). */
export const onlyKeys = (args: RawArgs, ...keys: string[]): boolean => Object.keys(args).every((key) => keys.includes(key));

export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}

/** The argument names a subcommand accepts, in schema order (for help, Discord options, forms). */
export function argumentNames(sub: Subcommand): string[] {
  const shape = (sub.input as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Injected everywhere time matters, so jobs and rules are tested for any day and timezone. */
export type Clock = () => Date;

/** The workspace's calendar date now. */
export const todayOf = (ctx: Pick<CommandContext, 'now' | 'workspace'>): CalendarDate => localDay(ctx.now, ctx.workspace.timezone);

/** The calendar date a date argument (`dateArg`) names, read against the workspace's today. */
export const dayOf = (input: DateInput, ctx: Pick<CommandContext, 'now' | 'workspace'>): CalendarDate => resolveDate(input, todayOf(ctx));

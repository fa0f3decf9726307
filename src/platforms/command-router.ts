import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  argumentNames,
  didYouMean,
  helpFor,
  helpForSubcommand,
  TEXT_IDIOM,
  type HelpIdiom,
  HELP_WORDS,
  isHelpWord,
  isDomainError,
  isUserFacingError,
  literal,
  text,
  type Actor,
  type Answer,
  type Choice,
  type Clock,
  type CommandContext,
  type CommandDefinition,
  type DomainError,
  type Logger,
  type MessageAction,
  type Platform,
  type SharedMessage,
  type RawArgs,
  type Reply,
  type Services,
  type Subcommand,
  type Upload,
  takesUpload,
  UserFacingError,
} from '../core';
import { tokenizeTextArgs, type TextToken } from './text-args';

/** Who is calling, from where. Adapters build this from the raw platform payload. */
export interface Caller {
  platform: Platform;
  workspaceExternalId: string;
  actor: Actor;
  /**
   * Fetches a file argument as the platform delivered it (a Slack file id, a Discord attachment, a
   * console path). Throws a UserFacingError naming the field when it cannot. Absent: no files here.
   */
  readUpload?(raw: unknown): Promise<Upload>;
}

export interface Invocation {
  command: string;
  subcommand: string;
  args: RawArgs;
  /** Set when a form was submitted: validate and run, never reopen the form. */
  /**
   * A form submission's identity (`slack:<view id>`): it runs once, however often it is delivered.
   */
  once?: string;
  /** Reopen the subcommand's form with these values typed in (a form whose answer was refused). */
  prefill?: Record<string, string>;
  submitted?: boolean;
  /** The positional words as typed (text surfaces only): unquoted names spanning several words are joined from them. */
  words?: string[];
  /** The line as typed with where each word and named argument sits, for free text at the end (`restIsLastPositional: 'text'`). */
  typed?: TypedLine;
  /** `--help`, `-h` or `help` was typed among the arguments: show this subcommand's help, run nothing. */
  help?: boolean;
}

export interface Outcome {
  answer: Answer;
  /**
   * The database could not be reached: `untouched` when nothing was attempted (so nothing changed),
   * `interrupted` when it stopped answering part-way through.
   */
  databaseDown?: 'untouched' | 'interrupted';
  /** Per-argument messages when input was invalid (Slack shows them inline in the modal). */
  fieldErrors?: Record<string, string>;
  /** Set when nothing ran: unknown command or argument, invalid input, a refusal or a failure. */
  refused?: boolean;
}

export interface RouterDeps {
  services: Services;
  clock: Clock;
  logger: Logger;
  /** The commands side's words for a refusal of the domain (commands/domain-errors.ts). */
  explain: (error: DomainError) => UserFacingError;
  /** Remembers which form submissions ran (see FormSubmissions). */
  submissions?: { claim(key: string, at: Date): Promise<boolean>; release(key: string): Promise<void> };
  /** Whether the database answers (see DatabaseWatch); told when an operation finds it unreachable. */
  database?: { isUp(): boolean; reportUnreachable(): void };
}

export const ALREADY_SUBMITTED = 'This form was already submitted; it was saved once.';
export const DATABASE_DOWN = 'The database is unreachable right now, so nothing was changed. Please try again in a minute.';
export const DATABASE_INTERRUPTED =
  'The database stopped answering while this ran, so part of it may not have been saved. Once it is back (try again in a minute), check with show or list before doing it again.';

/** Driver and mongoose errors that mean "could not reach the database", by name (this layer imports no driver). */
const UNREACHABLE = /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed|PoolCleared)Error$/;
export const isDatabaseUnreachable = (error: unknown): boolean => error instanceof Error && UNREACHABLE.test(error.name);

/** Platform-neutral: find the subcommand, validate with its zod schema, run it, turn errors into private replies. */
export class CommandRouter {
  private readonly byName: Map<string, CommandDefinition>;
  private readonly inFlight = new Set<Promise<Outcome>>();

  constructor(
    readonly commands: readonly CommandDefinition[],
    private readonly deps: RouterDeps,
  ) {
    this.byName = new Map(commands.map((c) => [c.name.toLowerCase(), c]));
  }

  /** Case-insensitive: `Influencer` is `influencer`. */
  command(name: string): CommandDefinition | undefined {
    return this.byName.get(name.trim().toLowerCase());
  }

  /** Every entry of the platforms' message menus, with the command it runs. */
  get messageActions(): Array<{ command: string; action: MessageAction }> {
    return this.commands.flatMap((command) => (command.messageActions ?? []).map((action) => ({ command: command.name, action })));
  }

  /** What a message-menu entry (by id or title) runs for `message`; undefined for an entry no command has. */
  messageInvocation(idOrTitle: string, message: SharedMessage): Invocation | undefined {
    const found = this.messageActions.find(({ action }) => action.id === idOrTitle || action.title === idOrTitle);
    return found && { command: found.command, subcommand: found.action.subcommand, args: found.action.args(message) };
  }

  /** `Unknown command "influencr". Did you mean "influencer"?` */
  unknownCommand(name: string): string {
    return `Unknown command "${name}".${didYouMean(name, this.commands.map((c) => c.name))}`;
  }

  /** `add "Zoë Tran" @zoe network:instagram` for `/influencer` -> an invocation with named args. */
  parseText(command: string, line: string): Invocation {
    const tokens = tokenizeTextArgs(line);
    const first = tokens[0]?.key ? undefined : tokens.shift();
    const typedName = first?.value.toLowerCase() ?? 'help';
    const subcommandName = HELP_WORDS.has(typedName) ? 'help' : typedName;
    const sub = this.command(command)?.subcommands[subcommandName];
    const words: string[] = [];
    const typed: TypedLine = { line, words: [], named: [] };
    const named: Record<string, string> = {};
    for (const token of tokens) {
      // In free text at the end (`log zoe note Follow-up: samples`), a `word:` that is not an
      // argument of this subcommand is part of the text; elsewhere it is an unknown argument.
      if (token.key && (!sub?.restIsLastPositional || argumentNames(sub).includes(token.key))) {
        named[token.key] = token.value;
        typed.named.push(token);
      } else {
        words.push(token.raw);
        typed.words.push(token);
      }
    }
    // `influencer help add`: the word after `help` names the subcommand to explain.
    if (subcommandName === 'help') return { command, subcommand: 'help', args: words[0] ? { topic: words[0].toLowerCase() } : {} };
    if (!sub) return { command, subcommand: subcommandName, args: named };
    const args = { ...positionalArgs(sub, words, typed), ...named };
    // `--help`/`-h` anywhere; `help` when it is a whole argument (not a word inside a summary).
    const help = words.some((word) => word === '--help' || word === '-h') || Object.values(args).some(isHelpWord);
    return { command, subcommand: subcommandName, args, ...(sub.namesOne && words.length > 1 ? { words, typed } : {}), ...(help ? { help } : {}) };
  }

  /**
   * Help in the idiom of the surface asking. On Discord every argument is a named option: an
   * example's positional words become named options (`name:Zoë Tran handle:@zoe`), and the usage
   * lists the options instead of `<who> [key:...]`.
   */
  private idiomOf(platform: Platform): HelpIdiom {
    if (platform !== 'discord') return TEXT_IDIOM;
    return {
      example: (line) => {
        const [command = '', ...rest] = line.replace(/^\//, '').split(' ');
        const invocation = this.parseText(command, rest.join(' '));
        const options = Object.entries(invocation.args).map(([key, value]) => `${key.toLowerCase()}:${String(value)}`);
        return [`/${command} ${invocation.subcommand}`, ...options].join(' ');
      },
      usage: (command, name, sub) => {
        const names = argumentNames(sub).map((arg) => arg.toLowerCase());
        return names.length ? `/${command} ${name} then the options ${names.join(', ')}` : `/${command} ${name}`;
      },
      commandNote: (command) => `After /${command} <subcommand>, Discord lists its options and says what each accepts.`,
      subcommandNote: DISCORD_SUBCOMMAND_NOTE,
    };
  }

  /** What to suggest for `option` while it is typed (Discord autocomplete); the command decides. */
  async suggest(caller: Caller, command: string, subcommand: string, option: string, typed: string): Promise<Choice[]> {
    const definition = this.command(command);
    if (!definition?.suggest) return [];
    return definition.suggest(option, typed, subcommand, await this.context(caller));
  }

  private async context(caller: Caller): Promise<CommandContext> {
    return {
      workspace: await this.deps.services.workspaces.ensure(caller.platform, caller.workspaceExternalId),
      actor: caller.actor,
      services: this.deps.services,
      now: this.deps.clock(),
      logger: this.deps.logger,
    };
  }

  /** Runs one invocation; tracked so a shutdown can let it finish. */
  handle(caller: Caller, invocation: Invocation): Promise<Outcome> {
    const running = this.run(caller, invocation).finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return running;
  }

  /** Resolves when every invocation under way has finished, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  /**
   * What can be said about a submitted form without the database, within a platform's ack: its
   * fields refused (unknown or invalid), or the database known to be unreachable. Undefined: run it.
   */
  check(invocation: Invocation): Outcome | undefined {
    const sub = this.command(invocation.command)?.subcommands[invocation.subcommand.trim().toLowerCase()];
    if (!sub) return undefined;
    const unknown = Object.keys(invocation.args).filter((key) => !argumentNames(sub).includes(key));
    if (unknown.length > 0) return undefined;
    // A file is fetched only when the command runs: here, a picked file counts as given.
    const parsed = sub.input.safeParse(uploadPlaceholders(sub, invocation.args));
    if (!parsed.success) return invalid(parsed.error);
    if (this.deps.database && !this.deps.database.isUp()) return { answer: text(DATABASE_DOWN), databaseDown: 'untouched', refused: true };
    return undefined;
  }

  private async run(caller: Caller, invocation: Invocation): Promise<Outcome> {
    const definition = this.command(invocation.command);
    if (!definition) return { answer: text(this.unknownCommand(invocation.command)), refused: true };
    const name = invocation.subcommand.trim().toLowerCase();
    if (HELP_WORDS.has(name)) {
      const topic = typeof invocation.args.topic === 'string' ? invocation.args.topic : undefined;
      const idiom = this.idiomOf(caller.platform);
      return { answer: topic && definition.subcommands[topic] ? helpForSubcommand(definition, topic, idiom) : helpFor(definition, idiom) };
    }
    const sub = definition.subcommands[name];
    if (!sub) {
      return {
        answer: text(
          `/${definition.name} has no subcommand "${literal(invocation.subcommand)}".${didYouMean(name, Object.keys(definition.subcommands))} Try one of: ${Object.keys(definition.subcommands).join(', ')}, help.`,
        ),
        refused: true,
      };
    }
    // Help stores nothing: `add --help` never creates a creator called "--help".
    if (invocation.help || Object.values(invocation.args).some(isHelpWord)) return { answer: helpForSubcommand(definition, name, this.idiomOf(caller.platform)) };
    const unknown = Object.keys(invocation.args).filter((key) => key !== '_extra' && !argumentNames(sub).includes(key));
    if (unknown.length > 0) {
      const message = `Unknown argument${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. /${definition.name} ${name} accepts: ${argumentNames(sub).join(', ')}.`;
      return { answer: text(message), fieldErrors: Object.fromEntries(unknown.map((k) => [k, 'not accepted here'])), refused: true };
    }
    const { database, submissions } = this.deps;
    let claimed: string | undefined;
    // Known down: answer at once, well inside every platform's limit, without touching anything.
    if (database && !database.isUp()) return { answer: text(DATABASE_DOWN), databaseDown: 'untouched', refused: true };
    // Reading the workspace is the first database operation: failing there, nothing changed.
    let started = false;
    try {
      const ctx = await this.context(caller);
      started = true;
      let args = invocation.args;
      const words = invocation.words ?? [];
      // `show ana lima`: unquoted words that together name exactly one record are one argument.
      let hint = '';
      if (!invocation.submitted && sub.namesOne && words.length > 1 && (typeof args._extra === 'string' || !sub.input.safeParse(args).success)) {
        const joined = await joinNameWords(sub, words, invocation.typed, ctx);
        if (joined) args = { ...joined, ...namedOnly(invocation.args, sub) };
        else if (!(await sub.namesOne(words[0]!, ctx))) hint = quoteHint(definition.name, name, words);
      }
      if (typeof args._extra === 'string') {
        const usage = [name, ...(sub.positional ?? []).map((p) => `<${p}>`)].join(' ');
        return {
          answer: text(`Unexpected words: "${literal(String(args._extra))}". ${hint || `Usage: /${definition.name} ${usage} key:value... Put values with spaces in "quotes".`}`),
          refused: true,
        };
      }
      if (invocation.prefill) {
        const form = sub.form && (await sub.form(args, ctx));
        if (!form) return { answer: text(`This form cannot be reopened. Run /${definition.name} ${name} again.`), refused: true };
        const typed = invocation.prefill;
        return { answer: { ...form, fields: form.fields.map((field) => (typed[field.name] !== undefined ? { ...field, initial: typed[field.name] } : field)) } };
      }
      if (!invocation.submitted && sub.form) {
        const form = await sub.form(args, ctx);
        if (form) return { answer: form };
      }
      args = await withUploads(sub, args, caller);
      const parsed = sub.input.safeParse(args);
      if (!parsed.success) {
        const outcome = invalid(parsed.error);
        return hint ? { ...outcome, answer: text(`${(outcome.answer as Reply).blocks.map((b) => ('text' in b ? b.text : '')).join('\n')}\n${hint}`) } : outcome;
      }
      if (invocation.once && submissions) {
        if (!(await submissions.claim(invocation.once, ctx.now))) return { answer: text(ALREADY_SUBMITTED), refused: true };
        claimed = invocation.once;
      }
      // A day stored from "today" is decided in the timezone as stored now, not as cached here.
      const fresh = typeof sub.decidesDays === 'function' ? sub.decidesDays(parsed.data) : sub.decidesDays;
      const runCtx = fresh ? { ...ctx, workspace: await this.deps.services.workspaces.ensure(caller.platform, caller.workspaceExternalId, { fresh: true }) } : ctx;
      return { answer: await sub.run(parsed.data, runCtx) };
    } catch (thrown) {
      const error = isDomainError(thrown) ? this.deps.explain(thrown) : thrown;
      // Refused: the same form may be submitted again once corrected. (Cut off by the database: it
      // may be partly saved, so it stays claimed; the reopened form is a new submission.)
      if (claimed && isUserFacingError(error)) await submissions?.release(claimed).catch(() => undefined);
      if (isUserFacingError(error)) return { answer: text(error.message), fieldErrors: error.fieldErrors, refused: true };
      if (isDatabaseUnreachable(error)) {
        database?.reportUnreachable();
        this.deps.logger.warn({ err: error, command: invocation.command, subcommand: invocation.subcommand, started }, 'command stopped: database unreachable');
        return started
          ? { answer: text(DATABASE_INTERRUPTED), databaseDown: 'interrupted' }
          : { answer: text(DATABASE_DOWN), databaseDown: 'untouched', refused: true };
      }
      const ref = randomBytes(4).toString('hex');
      this.deps.logger.error(
        { err: error, ref, command: invocation.command, subcommand: invocation.subcommand, platform: caller.platform },
        'command failed',
      );
      return { answer: text(`Sorry, something went wrong on our side. Reference: ${ref}`), refused: true };
    }
  }
}

const DISCORD_SUBCOMMAND_NOTE = 'Where the subcommand has a form, run it with no options to open the form. An option set to `-` clears that field in edits.';

const quoteHint = (command: string, subcommand: string, words: string[]) =>
  `"${literal(words[0] ?? '')}" names no single record: put a name of several words in "quotes", like /${command} ${subcommand} "${literal(words.slice(0, 2).join(' '))}".`;

/** Names spread over more words than this are not tried: each try is a lookup. */
const MAX_NAME_WORDS = 5;

/** The longest run of leading words that names exactly one record, with the words after it as the next positionals. */
async function joinNameWords(sub: Subcommand, words: string[], typed: TypedLine | undefined, ctx: CommandContext): Promise<RawArgs | undefined> {
  for (let count = Math.min(words.length, MAX_NAME_WORDS); count >= 2; count -= 1) {
    const candidate = words.slice(0, count).join(' ');
    const rest = typed && { ...typed, words: [typed.words[0]!, ...typed.words.slice(count)] };
    if (await sub.namesOne!(candidate, ctx)) return positionalArgs(sub, [candidate, ...words.slice(count)], rest);
  }
  return undefined;
}

/** The `key:value` arguments of an invocation, without its positionals. */
function namedOnly(args: RawArgs, sub: Subcommand): RawArgs {
  const positional = new Set([...(sub.positional ?? []), '_extra']);
  return Object.fromEntries(Object.entries(args).filter(([key]) => !positional.has(key)));
}

function uploadPlaceholders(sub: Subcommand, args: RawArgs): RawArgs {
  const shape = (sub.input as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const out = { ...args };
  for (const [name, schema] of Object.entries(shape)) {
    const raw = out[name];
    if (raw !== undefined && raw !== '' && takesUpload(schema) && !schema.safeParse(raw).success) out[name] = { name: String(raw), bytes: new Uint8Array() };
  }
  return out;
}

/** File arguments fetched through the platform, so the schema validates the bytes. */
async function withUploads(sub: Subcommand, args: RawArgs, caller: Caller): Promise<RawArgs> {
  const shape = (sub.input as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  let out = args;
  for (const [name, schema] of Object.entries(shape)) {
    const raw = out[name];
    if (raw === undefined || raw === '' || !takesUpload(schema) || schema.safeParse(raw).success) continue;
    if (!caller.readUpload) throw new UserFacingError(`${name}: files cannot be attached here.`, { [name]: 'cannot attach files here' });
    out = { ...out, [name]: await caller.readUpload(raw) };
  }
  return out;
}

/** A line as typed, with where each positional word and each named argument sits in it. */
interface TypedLine {
  line: string;
  words: Pick<TextToken, 'start' | 'end'>[];
  named: Pick<TextToken, 'start' | 'end'>[];
}

/**
 * Words `from`.. of a line exactly as typed: spaces, quotes and punctuation kept (`She said "call me".`).
 * A named argument of the subcommand typed inside the text (`time:10am`) is taken out of it.
 */
function typedFrom(typed: TypedLine, from: number): string {
  const start = typed.words[from]!.start;
  const end = typed.words.at(-1)!.end;
  const cuts = typed.named.filter((arg) => arg.start > start && arg.end < end).sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let at = start;
  for (const cut of cuts) {
    pieces.push(typed.line.slice(at, cut.start).trim());
    at = cut.end;
  }
  pieces.push(typed.line.slice(at, end).trim());
  return pieces.filter(Boolean).join(' ');
}

/** `typed`: the line as typed, for free text at the end (`restIsLastPositional: 'text'`); one quoted word that is all of it loses its quotes. */
function positionalArgs(sub: Subcommand, words: string[], typed?: TypedLine): RawArgs {
  const names = sub.positional ?? [];
  const args: RawArgs = {};
  const rest = (from: number) =>
    sub.restIsLastPositional === 'text' && typed && words.length - from > 1 ? typedFrom(typed, from) : words.slice(from).join(' ');
  names.forEach((name, i) => {
    const isLast = i === names.length - 1;
    const value = isLast && sub.restIsLastPositional ? rest(i) : words[i];
    if (value !== undefined && value !== '') args[name] = value;
  });
  if (!sub.restIsLastPositional && words.length > names.length) {
    args['_extra'] = words.slice(names.length).join(' ');
  }
  return args;
}

function invalid(error: z.ZodError): Outcome {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'input');
    fieldErrors[field] ??= issue.message;
  }
  const lines = Object.entries(fieldErrors).map(([field, message]) =>
    [field, field.replace(/[_-]/g, ' ')].some((name) => message.toLowerCase().startsWith(name)) ? message : `${field}: ${message}`,
  );
  return { answer: text(lines.join('\n')), fieldErrors, refused: true };
}

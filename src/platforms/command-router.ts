import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  argumentNames,
  helpFor,
  isUserFacingError,
  text,
  type Actor,
  type Answer,
  type Clock,
  type CommandDefinition,
  type Logger,
  type Platform,
  type RawArgs,
  type Services,
  type Subcommand,
} from '../core';
import { tokenizeTextArgs } from './text-args';

/** Who is calling, from where. Adapters build this from the raw platform payload. */
export interface Caller {
  platform: Platform;
  workspaceExternalId: string;
  actor: Actor;
}

export interface Invocation {
  command: string;
  subcommand: string;
  args: RawArgs;
  /** Set when a form was submitted: validate and run, never reopen the form. */
  submitted?: boolean;
}

export interface Outcome {
  answer: Answer;
  /** Per-argument messages when input was invalid (Slack shows them inline in the modal). */
  fieldErrors?: Record<string, string>;
}

export interface RouterDeps {
  services: Services;
  clock: Clock;
  logger: Logger;
}

/** Platform-neutral: find the subcommand, validate with its zod schema, run it, turn errors into private replies. */
export class CommandRouter {
  private readonly byName: Map<string, CommandDefinition>;
  private readonly inFlight = new Set<Promise<Outcome>>();

  constructor(
    readonly commands: readonly CommandDefinition[],
    private readonly deps: RouterDeps,
  ) {
    this.byName = new Map(commands.map((c) => [c.name, c]));
  }

  command(name: string): CommandDefinition | undefined {
    return this.byName.get(name);
  }

  /** `add "Zoë Tran" @zoe network:instagram` for `/influencer` -> an invocation with named args. */
  parseText(command: string, line: string): Invocation {
    const tokens = tokenizeTextArgs(line);
    const first = tokens[0]?.key ? undefined : tokens.shift();
    const subcommandName = first?.value.toLowerCase() ?? 'help';
    const sub = this.byName.get(command)?.subcommands[subcommandName];
    const words: string[] = [];
    const named: Record<string, string> = {};
    for (const token of tokens) {
      // In free text at the end (`log zoe note Follow-up: samples`), a `word:` that is not an
      // argument of this subcommand is part of the text; elsewhere it is an unknown argument.
      if (token.key && (!sub?.restIsLastPositional || argumentNames(sub).includes(token.key))) named[token.key] = token.value;
      else words.push(token.raw);
    }
    if (!sub) return { command, subcommand: subcommandName, args: named };
    return { command, subcommand: subcommandName, args: { ...positionalArgs(sub, words), ...named } };
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

  private async run(caller: Caller, invocation: Invocation): Promise<Outcome> {
    const definition = this.byName.get(invocation.command);
    if (!definition) return { answer: text(`Unknown command /${invocation.command}.`) };
    if (invocation.subcommand === 'help') return { answer: helpFor(definition) };
    const sub = definition.subcommands[invocation.subcommand];
    if (!sub) {
      return {
        answer: text(
          `/${definition.name} has no subcommand "${invocation.subcommand}". Try one of: ${Object.keys(definition.subcommands).join(', ')}, help.`,
        ),
      };
    }
    if (typeof invocation.args._extra === 'string') {
      const usage = [invocation.subcommand, ...(sub.positional ?? []).map((p) => `<${p}>`)].join(' ');
      return {
        answer: text(`Unexpected words: "${invocation.args._extra}". Usage: /${definition.name} ${usage} key:value... Put values with spaces in "quotes".`),
      };
    }
    const unknown = Object.keys(invocation.args).filter((key) => !argumentNames(sub).includes(key));
    if (unknown.length > 0) {
      const message = `Unknown argument${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. /${definition.name} ${invocation.subcommand} accepts: ${argumentNames(sub).join(', ')}.`;
      return { answer: text(message), fieldErrors: Object.fromEntries(unknown.map((k) => [k, 'not accepted here'])) };
    }
    try {
      const ctx = {
        workspace: await this.deps.services.workspaces.ensure(caller.platform, caller.workspaceExternalId),
        actor: caller.actor,
        services: this.deps.services,
        now: this.deps.clock(),
        logger: this.deps.logger,
      };
      if (!invocation.submitted && sub.form) {
        const form = await sub.form(invocation.args, ctx);
        if (form) return { answer: form };
      }
      const parsed = sub.input.safeParse(invocation.args);
      if (!parsed.success) return invalid(parsed.error);
      return { answer: await sub.run(parsed.data, ctx) };
    } catch (error) {
      if (isUserFacingError(error)) return { answer: text(error.message), fieldErrors: error.fieldErrors };
      const ref = randomBytes(4).toString('hex');
      this.deps.logger.error(
        { err: error, ref, command: invocation.command, subcommand: invocation.subcommand, platform: caller.platform },
        'command failed',
      );
      return { answer: text(`Sorry, something went wrong on our side. Reference: ${ref}`) };
    }
  }
}

function positionalArgs(sub: Subcommand, words: string[]): RawArgs {
  const names = sub.positional ?? [];
  const args: RawArgs = {};
  names.forEach((name, i) => {
    const isLast = i === names.length - 1;
    const value = isLast && sub.restIsLastPositional ? words.slice(i).join(' ') : words[i];
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
  return { answer: text(lines.join('\n')), fieldErrors };
}

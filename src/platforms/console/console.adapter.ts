import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { toPlainText, type Form, type FormField, type Reply } from '../../core';
import type { Caller, CommandRouter, Invocation } from '../command-router';

export interface ConsoleAdapterOptions {
  router: CommandRouter;
  input: Readable;
  output: Writable;
  /** The person at the keyboard; records show them as owner. */
  user: string;
  /** A terminal gets a prompt; piped input runs one command per line and ends with the input. */
  interactive: boolean;
}

/**
 * The local shell: the same commands as Slack and Discord, typed as text (`influencer add "Zoë Tran" ...`,
 * the leading `/` optional). Forms ask field by field; replies print as plain text.
 */
export function createConsoleAdapter(options: ConsoleAdapterOptions) {
  const { router, output, interactive } = options;
  const caller: Caller = {
    platform: 'console',
    workspaceExternalId: 'console',
    actor: { id: options.user, displayName: options.user, isAdmin: async () => true },
  };
  const rl = createInterface({ input: options.input, terminal: interactive, output: interactive ? output : undefined });
  const lines = rl[Symbol.asyncIterator]();
  const write = (value: string) => output.write(`${value}\n`);
  let closed = false;

  async function ask(prompt: string): Promise<string | undefined> {
    output.write(prompt);
    const next = await lines.next();
    if (next.done) return undefined;
    if (!interactive) output.write(`${next.value}\n`);
    return next.value;
  }

  async function fillForm(form: Form, answers: Record<string, string>, only?: string[]): Promise<boolean> {
    if (!only) write(`${form.title} - Enter keeps [the value shown] or skips, "-" clears.`);
    for (const field of form.fields) {
      if (only && !only.includes(field.name)) continue;
      const answer = await ask(promptFor(field, answers[field.name] ?? field.initial));
      if (answer === undefined) return false;
      const typed = answer.trim();
      const kept = typed === '-' ? '' : typed === '' ? (answers[field.name] ?? field.initial ?? '') : answer;
      answers[field.name] = field.kind === 'multiline' ? kept.replace(/\s*\|\s*/g, '\n') : kept;
    }
    return true;
  }

  async function submitForm(form: Form): Promise<Reply | undefined> {
    const answers: Record<string, string> = {};
    let only: string[] | undefined;
    for (;;) {
      if (!(await fillForm(form, answers, only))) {
        write('Form cancelled: input ended.');
        return undefined;
      }
      const invocation: Invocation = { ...form.submit, args: { ...form.submit.args, ...answers }, submitted: true };
      const outcome = await router.handle(caller, invocation);
      const invalid = Object.keys(outcome.fieldErrors ?? {}).filter((name) => form.fields.some((f) => f.name === name));
      if (invalid.length === 0) return outcome.answer.kind === 'reply' ? outcome.answer : undefined;
      // Keep every valid answer; ask again only for the fields that were refused.
      write(toPlainText(outcome.answer as Reply));
      only = invalid;
    }
  }

  async function runLine(line: string): Promise<void> {
    const trimmed = line.trim().replace(/^\//, '');
    if (!trimmed) return;
    const command = trimmed.split(/\s+/)[0]!;
    if (command === 'help' || !router.command(command)) {
      write(command === 'help' ? topLevelHelp(router) : `Unknown command "${command}". ${topLevelHelp(router)}`);
      return;
    }
    const outcome = await router.handle(caller, router.parseText(command, trimmed.slice(command.length)));
    const answer = outcome.answer.kind === 'form' ? await submitForm(outcome.answer) : outcome.answer;
    if (answer) write(render(answer));
  }

  return {
    async run(): Promise<void> {
      if (interactive) write(`IRM console. Type "help" for the commands, "exit" to leave.`);
      while (!closed) {
        const line = await ask(interactive ? 'irm> ' : '');
        if (line === undefined || ['exit', 'quit'].includes(line.trim())) break;
        await runLine(line);
      }
      rl.close();
    },
    close(): void {
      closed = true;
      rl.close();
    },
  };
}

function render(answer: Reply): string {
  const body = toPlainText(answer);
  return answer.visibility === 'channel' ? `(posted to the channel)\n${body}` : body;
}

function promptFor(field: FormField, current: string | undefined): string {
  const choices = field.options ? ` (${field.options.map((o) => o.value).join('/')})` : '';
  const shown = current ? ` [${current.replace(/\n/g, ' | ')}]` : '';
  const multiline = field.kind === 'multiline' ? ' (use | between lines)' : '';
  return `${field.label}${field.required ? '*' : ''}${choices}${multiline}${shown}: `;
}

function topLevelHelp(router: CommandRouter): string {
  const list = router.commands.map((c) => `  ${c.name} - ${c.description}`).join('\n');
  return `Commands (type "<command> help" for examples):\n${list}\n  exit - leave the console`;
}

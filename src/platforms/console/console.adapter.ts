import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { HELP_WORDS, MAX_UPLOAD_BYTES, UserFacingError, toPlainText, type Attachment, type Upload, type Destination, type Form, type FormField, type Reply } from '../../core';
import type { Caller, CommandRouter, Invocation } from '../command-router';

export interface ConsoleAdapterOptions {
  router: CommandRouter;
  input: Readable;
  output: Writable;
  /** The person at the keyboard; records show them as owner. */
  user: string;
  /** A terminal gets a prompt; piped input runs one command per line and ends with the input. */
  interactive: boolean;
  /** Files in replies are saved under `<dataDir>/files/` (default `.data`); their paths are printed. */
  dataDir?: string;
  clock?: () => Date;
}

/** How a console session ended: piped scripts exit non-zero when any command was refused. */
export interface ConsoleResult {
  refused: number;
}

/** What a prompt gives back: a line, the end of input, or a cancel (Ctrl-C or `cancel` in a form). */
const CANCELLED = Symbol('cancelled');
type Answered = string | undefined | typeof CANCELLED;

/**
 * The local shell: the same commands as Slack and Discord, typed as text (`influencer add "Zoë Tran" ...`,
 * the leading `/` optional, names in any case). Forms ask field by field; `cancel` or Ctrl-C leaves a
 * form and comes back to the prompt. Replies print as plain text.
 */
export function createConsoleAdapter(options: ConsoleAdapterOptions) {
  const { router, output, interactive } = options;
  const clock = options.clock ?? (() => new Date());
  const dataDir = options.dataDir ?? '.data';
  const caller: Caller = {
    platform: 'console',
    workspaceExternalId: 'console',
    actor: { id: options.user, displayName: options.user, isAdmin: async () => true },
    readUpload: readLocalFile,
  };
  const rl = createInterface({ input: options.input, terminal: interactive, output: interactive ? output : undefined });
  const write = (value: string) => output.write(`${terminalText(value)}\n`);
  let closed = false;
  let refused = 0;

  // Lines are queued as they come, so a prompt abandoned by Ctrl-C never swallows the next line.
  const queued: string[] = [];
  let waiting: ((answer: Answered) => void) | undefined;
  let ended = false;
  let inForm = false;
  rl.on('line', (line) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(line);
    } else queued.push(line);
  });
  rl.on('close', () => {
    ended = true;
    waiting?.(undefined);
    waiting = undefined;
  });
  rl.on('SIGINT', () => {
    if (inForm && waiting) {
      const resolve = waiting;
      waiting = undefined;
      output.write('\n');
      resolve(CANCELLED);
      return;
    }
    // Ctrl-C at the prompt leaves the console, as it always did.
    closed = true;
    output.write('\n');
    rl.close();
  });

  function nextLine(): Promise<Answered> {
    if (queued.length > 0) return Promise.resolve(queued.shift());
    if (ended) return Promise.resolve(undefined);
    return new Promise((resolve) => (waiting = resolve));
  }

  async function ask(prompt: string): Promise<Answered> {
    output.write(terminalText(prompt));
    const next = await nextLine();
    if (typeof next !== 'string') return next;
    if (!interactive) output.write(`${terminalText(next)}\n`);
    return next;
  }

  /** False when the form was left: input ended or the person cancelled. */
  /** `refused`: values the command refused, never offered again as the default (Enter would repeat the refusal). */
  async function fillForm(form: Form, answers: Record<string, string>, only?: string[], refused: Record<string, string> = {}): Promise<boolean | typeof CANCELLED> {
    if (!only) write(`${form.title} - Enter keeps [the value shown] or skips, "-" clears, "cancel" leaves the form.`);
    for (const field of form.fields) {
      if (only && !only.includes(field.name)) continue;
      for (;;) {
        const offered = answers[field.name] ?? field.initial;
        const current = offered !== undefined && offered === refused[field.name] ? undefined : offered;
        const answer = await ask(promptFor(field, current));
        if (answer === undefined) return false;
        if (answer === CANCELLED || answer.trim().toLowerCase() === 'cancel') return CANCELLED;
        const typed = answer.trim();
        const kept = typed === '-' ? '' : typed === '' ? (current ?? '') : answer;
        // A required field left blank is asked again at once, not after every other prompt.
        if (field.required && kept.trim() === '') {
          write(`${field.label} is required${typed === '-' ? ': it cannot be cleared' : ''}.`);
          continue;
        }
        answers[field.name] = field.kind === 'multiline' ? kept.replace(/\s*\|\s*/g, '\n') : kept;
        break;
      }
    }
    return true;
  }

  async function submitForm(form: Form): Promise<Reply | undefined> {
    const answers: Record<string, string> = {};
    const refusedValues: Record<string, string> = {};
    let only: string[] | undefined;
    inForm = true;
    try {
      for (;;) {
        const filled = await fillForm(form, answers, only, refusedValues);
        if (filled !== true) {
          write(filled === CANCELLED ? 'Form cancelled: nothing was saved.' : 'Form cancelled: input ended.');
          refused += filled === CANCELLED ? 0 : 1;
          return undefined;
        }
        const invocation: Invocation = { ...form.submit, args: { ...form.submit.args, ...answers }, submitted: true };
        const outcome = await router.handle(caller, invocation);
        const invalid = Object.keys(outcome.fieldErrors ?? {}).filter((name) => form.fields.some((f) => f.name === name));
        if (invalid.length === 0) {
          if (outcome.refused) refused += 1;
          return outcome.answer.kind === 'reply' ? outcome.answer : undefined;
        }
        // Keep every valid answer; ask again only for the fields that were refused.
        write(toPlainText(outcome.answer as Reply));
        for (const name of invalid) {
          refusedValues[name] = answers[name] ?? '';
          delete answers[name];
        }
        only = invalid;
      }
    } finally {
      inForm = false;
    }
  }

  async function runLine(line: string): Promise<void> {
    const trimmed = line.trim().replace(/^\//, '');
    if (!trimmed) return;
    const typed = trimmed.split(/\s+/)[0]!;
    const rest = trimmed.slice(typed.length);
    if (HELP_WORDS.has(typed.toLowerCase())) {
      // `help influencer` (or `help influencer add`) is that command's help.
      const topic = rest.trim().split(/\s+/)[0] ?? '';
      if (topic && router.command(topic)) {
        write(await render((await router.handle(caller, router.parseText(topic, `help ${rest.trim().slice(topic.length)}`))).answer as Reply, dataDir, clock));
      } else write(topLevelHelp(router));
      return;
    }
    if (!router.command(typed)) {
      refused += 1;
      write(`${router.unknownCommand(typed)}\n${topLevelHelp(router)}`);
      return;
    }
    const outcome = await router.handle(caller, router.parseText(typed, rest));
    if (outcome.refused) refused += 1;
    const answer = outcome.answer.kind === 'form' ? await submitForm(outcome.answer) : outcome.answer;
    if (answer) write(await render(answer, dataDir, clock));
  }

  return {
    async run(): Promise<ConsoleResult> {
      if (interactive) write(`IRM console. Type "help" for the commands, "exit" to leave.`);
      while (!closed) {
        const line = await ask(interactive ? 'irm> ' : '');
        if (typeof line !== 'string' || ['exit', 'quit'].includes(line.trim().toLowerCase())) break;
        await runLine(line);
      }
      rl.close();
      return { refused };
    },
    close(): void {
      closed = true;
      rl.close();
    },
  };
}

/**
 * What reaches the terminal: a stored name or note may carry control characters (typed here,
 * in Slack or Discord, or imported), and ESC, BEL, backspace or a carriage return would let it
 * clear the screen, retitle the window or overwrite what the bot printed. C0 controls other than
 * line feed and tab, and DEL, show as their Unicode control pictures (ESC as \u241B); C1 controls as \uFFFD.
 */
export function terminalText(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u0080-\u009f]/g, (char) => {
    const code = char.charCodeAt(0);
    return code === 0x7f ? '\u2421' : code < 0x20 ? String.fromCharCode(0x2400 + code) : '\ufffd';
  });
}

/** A reply and its further messages (`Reply.more`), each printed in turn after a blank line. */
async function render(answer: Reply, dataDir: string, clock: () => Date): Promise<string> {
  const body = toPlainText(answer) + (await savedFiles(answer.files, dataDir, clock));
  const printed = answer.visibility === 'channel' ? `(posted to the channel)\n${body}` : body;
  const more = [];
  for (const next of answer.more ?? []) more.push(await render(next, dataDir, clock));
  return [printed, ...more].join('\n\n');
}

/**
 * Scheduled posts in the terminal: `(posted to #payments)` or `(private to maria)` above the text,
 * files saved like a reply's. Returns a message id for the ledger.
 */
export function createConsolePoster(options: { output: Writable; dataDir: string; clock: () => Date }) {
  return async (to: Destination, reply: Reply): Promise<{ id: string }> => {
    const where = 'channelId' in to ? `posted to #${to.channelId}` : `private to ${to.userId}`;
    const body = toPlainText(reply) + (await savedFiles(reply.files, options.dataDir, options.clock));
    options.output.write(terminalText(`\n(${where})\n${body}\n`));
    return { id: `console:${options.clock().toISOString()}` };
  };
}

/** Writes each file under `<dataDir>/files/`, named `<time>-<name>` so nothing is overwritten; lines giving their paths. */
async function savedFiles(files: readonly Attachment[] | undefined, dataDir: string, clock: () => Date): Promise<string> {
  if (!files?.length) return '';
  const folder = path.resolve(dataDir, 'files');
  await mkdir(folder, { recursive: true });
  const stamp = clock().toISOString().replace(/[:.]/g, '-');
  const lines: string[] = [];
  for (const [index, file] of files.entries()) {
    const target = path.join(folder, `${stamp}-${index + 1}-${safeFileName(file.name)}`);
    await writeFile(target, file.bytes);
    lines.push(`File: ${target}`);
  }
  return `\n${lines.join('\n')}`;
}

/** The name without folders or characters a file system refuses; never empty. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^\.+/, '').slice(-120);
  return base || 'file';
}

/** A file argument on the console is a path on this machine (relative to where the bot was started). */
async function readLocalFile(raw: unknown): Promise<Upload> {
  const typed = String(raw).trim();
  const info = await stat(typed).catch(() => undefined);
  if (!info?.isFile()) throw new UserFacingError(`file: there is no file at ${typed} (a path relative to ${process.cwd()}, or absolute).`, { file: 'no such file' });
  if (info.size > MAX_UPLOAD_BYTES) throw new UserFacingError(`file: ${typed} is ${(info.size / 1048576).toFixed(1)} MB; at most ${MAX_UPLOAD_BYTES / 1048576} MB can be imported at once.`, { file: 'too large' });
  return { name: path.basename(typed), bytes: new Uint8Array(await readFile(typed)) };
}

function promptFor(field: FormField, current: string | undefined): string {
  const choices = field.options ? ` (${field.options.map((o) => o.value).join('/')})` : '';
  const shown = current ? ` [${current.replace(/\n/g, ' | ')}]` : '';
  const multiline = field.kind === 'multiline' ? ' (use | between lines)' : field.kind === 'file' ? ' (a path on this machine)' : '';
  return `${field.label}${field.required ? '*' : ''}${choices}${multiline}${shown}: `;
}

function topLevelHelp(router: CommandRouter): string {
  const list = router.commands.map((c) => `  ${c.name} - ${c.description}`).join('\n');
  return `Commands (type "<command> help" or "help <command>" for examples):\n${list}\n  exit - leave the console`;
}

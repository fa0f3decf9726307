import { argumentNames, type CommandDefinition, type Subcommand } from './command';
import { context, header, para, reply, type Reply } from './reply';

/** Words that ask for help wherever they are typed: as the subcommand, as an argument, as a value. */
export const HELP_WORDS: ReadonlySet<string> = new Set(['help', '--help', '-h']);

export const isHelpWord = (value: unknown): boolean => typeof value === 'string' && HELP_WORDS.has(value.trim().toLowerCase());

/**
 * How a surface writes a command. Slack and the console type text (`/influencer add "Zoë Tran"
 * @zoe network:instagram`, positional words then `key:value`); Discord picks typed options, so
 * there every argument is named (`/influencer add name:Zoë Tran handle:@zoe network:instagram`).
 */
export interface HelpIdiom {
  /** An example as this surface types it. */
  example(line: string): string;
  /** The usage line of a subcommand. */
  usage(command: string, name: string, sub: Subcommand): string;
  /** The closing hint of `/x help` and of one subcommand's help. */
  commandNote(command: string): string;
  subcommandNote: string;
}

/** Slack and the console: positional words, then `key:value` pairs, quotes for spaces. */
export const TEXT_IDIOM: HelpIdiom = {
  example: (line) => line,
  usage(command, name, sub) {
    const positional = sub.positional ?? [];
    const named = argumentNames(sub).filter((arg) => !positional.includes(arg));
    return [`/${command} ${name}`, ...positional.map((p) => `<${p}>`), ...named.map((arg) => `[${arg}:...]`)].join(' ');
  },
  commandNote: (command) => `\`/${command} <subcommand> help\` shows one subcommand's arguments.`,
  subcommandNote: 'Put values with spaces in "quotes". A blank value or `-` clears an optional field in edits.',
};

/** `/x help`: every subcommand with its description and examples, generated from the definitions. */
export function helpFor(command: CommandDefinition, idiom: HelpIdiom = TEXT_IDIOM): Reply {
  const lines = Object.entries(command.subcommands).map(
    ([name, sub]) => `*${name}* - ${sub.description}\n${sub.examples.map((e) => `   \`${idiom.example(e)}\``).join('\n')}`,
  );
  return reply([
    header(`/${command.name}`),
    para(command.description),
    para(lines.join('\n')),
    ...(command.notes ?? []).map((note) => context(note)),
    context(idiom.commandNote(command.name)),
  ]);
}

/** `/x add --help`: one subcommand's usage, arguments and examples. */
export function helpForSubcommand(command: CommandDefinition, name: string, idiom: HelpIdiom = TEXT_IDIOM): Reply {
  const sub = command.subcommands[name]!;
  return reply([
    header(`/${command.name} ${name}`),
    para(sub.description),
    para(`*Usage:* \`${idiom.usage(command.name, name, sub)}\`\n*Examples:*\n${sub.examples.map((e) => `   \`${idiom.example(e)}\``).join('\n')}`),
    ...(command.notes ?? []).map((note) => context(note)),
    context(idiom.subcommandNote),
  ]);
}

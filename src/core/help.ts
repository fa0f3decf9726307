import { argumentNames, type CommandDefinition } from './command';
import { context, header, para, reply, type Reply } from './reply';

/** Words that ask for help wherever they are typed: as the subcommand, as an argument, as a value. */
export const HELP_WORDS: ReadonlySet<string> = new Set(['help', '--help', '-h']);

export const isHelpWord = (value: unknown): boolean => typeof value === 'string' && HELP_WORDS.has(value.trim().toLowerCase());

/** `/x help`: every subcommand with its description and examples, generated from the definitions. */
export function helpFor(command: CommandDefinition): Reply {
  const lines = Object.entries(command.subcommands).map(
    ([name, sub]) => `*${name}* - ${sub.description}\n${sub.examples.map((e) => `   \`${e}\``).join('\n')}`,
  );
  return reply([
    header(`/${command.name}`),
    para(command.description),
    para(lines.join('\n')),
    context(`\`/${command.name} <subcommand> help\` shows one subcommand's arguments.`),
  ]);
}

/** `/x add --help`: one subcommand's usage, arguments and examples. */
export function helpForSubcommand(command: CommandDefinition, name: string): Reply {
  const sub = command.subcommands[name]!;
  const positional = sub.positional ?? [];
  const named = argumentNames(sub).filter((arg) => !positional.includes(arg));
  const usage = [`/${command.name} ${name}`, ...positional.map((p) => `<${p}>`), ...named.map((arg) => `[${arg}:...]`)].join(' ');
  return reply([
    header(`/${command.name} ${name}`),
    para(sub.description),
    para(`*Usage:* \`${usage}\`\n*Examples:*\n${sub.examples.map((e) => `   \`${e}\``).join('\n')}`),
    context('Put values with spaces in "quotes". A blank value or `-` clears an optional field in edits.'),
  ]);
}

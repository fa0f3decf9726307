import type { CommandDefinition } from './command';
import { header, para, reply, type Reply } from './reply';

/** `/x help`: every subcommand with its description and examples, generated from the definitions. */
export function helpFor(command: CommandDefinition): Reply {
  const lines = Object.entries(command.subcommands).map(
    ([name, sub]) => `*${name}* - ${sub.description}\n${sub.examples.map((e) => `   \`${e}\``).join('\n')}`,
  );
  return reply([header(`/${command.name}`), para(command.description), para(lines.join('\n'))]);
}

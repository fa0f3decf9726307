import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CommandRouter } from '../../src/platforms/command-router';
import { createConsoleAdapter } from '../../src/platforms/console/console.adapter';

/** Types `lines` into the console surface as a piped script and returns everything it printed. */
/** Files the console saves go under `dataDir` (a temporary folder by default). */
export async function runConsole(router: CommandRouter, lines: string[], user = 'maria', dataDir = path.join(os.tmpdir(), 'irm-console-test')): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const shell = createConsoleAdapter({ router, input, output, user, interactive: false, dataDir });
  const done = shell.run();
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return printed;
}

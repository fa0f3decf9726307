import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { file, literal, para, reply } from '../../../src/core';
import { createConsolePoster, safeFileName } from '../../../src/platforms/console/console.adapter';

const AT = new Date('2026-11-23T09:00:00Z');

async function poster() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'irm-console-'));
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  return { dataDir, post: createConsolePoster({ output, dataDir, clock: () => AT }), printed: () => printed };
}

describe('the console poster', () => {
  it('GIVEN a post to one person THEN it prints marked as private to them', async () => {
    const { post, printed } = await poster();
    await post({ userId: 'maria' }, reply([para(`Zoë's sizes: ${literal('*M*')}`)]));
    expect(printed()).toBe("\n(private to maria)\nZoë's sizes: *M*\n");
  });

  it('GIVEN a channel post with a file THEN the file is saved under the data folder and its path printed', async () => {
    const { post, printed, dataDir } = await poster();
    await post({ channelId: 'digest' }, { ...reply([para('November')], 'channel'), files: [file('../../etc/report.csv', 'text/csv', 'a,b\n1,2\n')] });
    const saved = path.join(dataDir, 'files', '2026-11-23T09-00-00-000Z-1-report.csv');
    expect(printed()).toBe(`\n(posted to #digest)\nNovember\nFile: ${saved}\n`);
    expect(await readFile(saved, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('GIVEN hostile file names THEN they stay inside the folder and are never empty', () => {
    expect([safeFileName('../../x.csv'), safeFileName('..\\..\\win.ini'), safeFileName('...'), safeFileName('a/b:c?.png')]).toEqual(['x.csv', 'win.ini', 'file', 'b_c_.png']);
  });
});

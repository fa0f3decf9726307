import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase, pingDatabase } from '../../src/db/connection';

const root = path.resolve(import.meta.dirname, '../..');
/**
 * `npm run db` as package.json runs it: node itself runs the script with tsx's loader, so the
 * SIGTERM reaches the process that stops the database. (Through the `tsx` wrapper the signal went
 * to a parent that gives its child 30 ms to acknowledge it, then exits 143 and SIGKILLs the child:
 * under load the database was killed mid-stop.) The test signals as soon as the URI line is read:
 * db.cli listens for SIGTERM before printing it, else the signal could land in between and kill it.
 */
const DB_COMMAND = ['node', '--import', 'tsx', 'src/db/db.cli.ts'] as const;
const dataDir = mkdtempSync(path.join(tmpdir(), 'irm-db-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm run db', () => {
  it('GIVEN package.json THEN `npm run db` is the command tested here', () => {
    expect(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.db).toBe(DB_COMMAND.join(' '));
  });

  it('GIVEN no MONGODB_URI THEN its first line is MONGODB_URI=<uri> of a database that answers, and SIGTERM stops it', async () => {
    const [command, ...args] = DB_COMMAND;
    const child = spawn(command, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const firstLine = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    expect(firstLine).toMatch(/^MONGODB_URI=mongodb:\/\/127\.0\.0\.1:\d+$/);
    const connection = await connectDatabase(firstLine.slice('MONGODB_URI='.length), 'probe');
    expect(await pingDatabase(connection)).toBe(true);
    await connection.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});

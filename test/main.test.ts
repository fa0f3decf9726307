import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

/** Runs `npm start`'s entry point as a user would, with `input` piped to it. */
function start(env: Record<string, string>, input?: string) {
  const child = spawn(tsx, ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (input !== undefined) child.stdin.end(input);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'irm-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('GIVEN no credentials and piped commands THEN the console runs them on the given database and exits 0', async () => {
    const uri = `${inject('mongoUri').replace(/\/$/, '')}/main_${randomBytes(4).toString('hex')}`;
    const run = start({ MONGODB_URI: uri }, 'influencer add "Zoë Tran" @zoe.creates network:instagram\ninfluencer find zoe\n');
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toContain('Added Zoë Tran');
    expect(run.output().stdout).toContain('1 creator matches "zoe"');
    expect(run.output().stderr).toContain('console mode');
  });

  it('GIVEN no MONGODB_URI THEN the embedded database keeps records across restarts', async () => {
    const first = start({ DATA_DIR: dataDir }, 'influencer add "Ana Lima" @ana network:tiktok\n');
    expect(await first.exited).toBe(0);
    expect(first.output().stdout).toContain('Added Ana Lima');
    const second = start({ DATA_DIR: dataDir }, 'influencer find ana\n');
    expect(await second.exited).toBe(0);
    expect(second.output().stdout).toContain('Ana Lima');
  }, 120_000);

  it('GIVEN SIGTERM while running THEN it stops taking work, closes the database and exits 0', async () => {
    const uri = `${inject('mongoUri').replace(/\/$/, '')}/main_${randomBytes(4).toString('hex')}`;
    const run = start({ MONGODB_URI: uri });
    await new Promise<void>((resolve) => {
      const check = () => (run.output().stderr.includes('console mode') ? resolve() : setImmediate(check));
      run.child.stderr.on('data', check);
    });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('GIVEN malformed variables THEN it stops at once naming each of them', async () => {
    const run = start({ MONGODB_URI: 'http://nope', PORT: '-1' }, '');
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toContain('MONGODB_URI: must start with mongodb://');
    expect(run.output().stderr).toContain('PORT: must be a port number from 0 to 65535');
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const full = path.join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(full);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

const importsOf = (file: string) =>
  [
    ...readFileSync(path.join(root, file), 'utf8').matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');

const PLATFORM = /^(@slack\/|discord\.js$|@discordjs\/)|(^|\/)platforms(\/|$)/;

describe('architecture: platforms render, domain decides', () => {
  it.each(['commands', 'jobs', 'src/core', 'src/domain', 'src/scheduler'])('GIVEN %s THEN nothing in it imports a platform', (dir) => {
    const offenders = sourceFiles(dir).flatMap((file) => importsOf(file).filter((spec) => PLATFORM.test(spec)).map((spec) => `${file} -> ${spec}`));
    expect(offenders).toEqual([]);
  });

  it('GIVEN src/core THEN it imports only zod, dayjs and itself', () => {
    const offenders = sourceFiles('src/core').flatMap((file) =>
      importsOf(file)
        .filter((spec) => !(spec.startsWith('./') || spec === 'zod' || spec.startsWith('dayjs')))
        .map((spec) => `${file} -> ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('GIVEN the domain THEN it never reads the wall clock', () => {
    const offenders = sourceFiles('src/domain').filter((file) => /new Date\(\)|Date\.now\(\)/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('GIVEN the code THEN only src/config/env.ts reads process.env', () => {
    const offenders = [...sourceFiles('src'), ...sourceFiles('commands'), ...sourceFiles('jobs')].filter(
      (file) => file !== path.join('src', 'config', 'env.ts') && /process\.env/.test(readFileSync(path.join(root, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('GIVEN the guard itself THEN it catches a platform import', () => {
    expect(PLATFORM.test('@slack/bolt')).toBe(true);
    expect(PLATFORM.test('discord.js')).toBe(true);
    expect(PLATFORM.test('../src/platforms/command-router')).toBe(true);
    expect(PLATFORM.test('../src/core')).toBe(false);
  });
});

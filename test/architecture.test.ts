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

const importsIn = (source: string) =>
  [
    ...source.matchAll(
      /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');

const importsOf = (file: string) => importsIn(readFileSync(path.join(root, file), 'utf8'));

/** A relative import as a path from the repository root, without its extension; a package stays as it is. */
const resolved = (file: string, spec: string) => (spec.startsWith('.') ? path.posix.join(path.posix.dirname(file.split(path.sep).join('/')), spec).replace(/\.(ts|js)$/, '') : spec);

type Rule = (target: string) => boolean;

/** Commands and jobs reach the database only through ctx.services: never a model, never mongoose. */
const MODEL: Rule = (target) => target === 'mongoose' || target.startsWith('mongoose/') || /\.model$|\.models$/.test(target);

/**
 * The domain returns data and error codes; words are built on the commands side. So no domain
 * file imports the reply builders (src/core/reply, or the src/core barrel that re-exports them) or
 * any view, card or presenter (everything under commands/ and jobs/).
 */
const REPLY_BUILDERS: Rule = (target) =>
  target === 'src/core' || target === 'src/core/index' || target === 'src/core/reply' || /^(commands|jobs)\//.test(target) || /\.(view|card)$/.test(target);

const offendersOf = (rule: Rule, files: ReadonlyArray<{ file: string; source: string }>) =>
  files.flatMap(({ file, source }) =>
    importsIn(source)
      .filter((spec) => rule(resolved(file, spec)))
      .map((spec) => `${file} -> ${spec}`),
  );

const read = (dirs: readonly string[]) => dirs.flatMap(sourceFiles).map((file) => ({ file: file.split(path.sep).join('/'), source: readFileSync(path.join(root, file), 'utf8') }));

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

  it('GIVEN commands and jobs THEN none imports a model or mongoose', () => {
    expect(offendersOf(MODEL, read(['commands', 'jobs']))).toEqual([]);
  });

  it('GIVEN the domain THEN no file imports the reply builders or a view', () => {
    expect(offendersOf(REPLY_BUILDERS, read(['src/domain']))).toEqual([]);
  });

  it('GIVEN a command importing a model or mongoose THEN the model rule names it', () => {
    const files = [
      { file: 'commands/x.command.ts', source: "import { influencerModel } from '../src/domain/influencer/influencer.model';\nimport { z } from 'zod';" },
      { file: 'jobs/y.job.ts', source: "import { Types } from 'mongoose';\nimport type { Models } from '../src/domain/services';" },
      { file: 'commands/z.command.ts', source: "const m = await import('../src/scheduler/scheduler.models.js');" },
    ];
    expect(offendersOf(MODEL, files)).toEqual([
      'commands/x.command.ts -> ../src/domain/influencer/influencer.model',
      'jobs/y.job.ts -> mongoose',
      'commands/z.command.ts -> ../src/scheduler/scheduler.models.js',
    ]);
  });

  it('GIVEN a domain file importing a reply builder or a view THEN the reply rule names it', () => {
    const files = [
      { file: 'src/domain/x/x.service.ts', source: "import { para, reply } from '../../core/reply';\nimport type { Clock } from '../../core/command';" },
      { file: 'src/domain/x/y.ts', source: "import { UserFacingError, para } from '../../core';" },
      { file: 'src/domain/z.ts', source: "export { collabCard } from '../../commands/collab.view';\nimport { formatMoney } from './money';" },
    ];
    expect(offendersOf(REPLY_BUILDERS, files)).toEqual([
      'src/domain/x/x.service.ts -> ../../core/reply',
      'src/domain/x/y.ts -> ../../core',
      'src/domain/z.ts -> ../../commands/collab.view',
    ]);
  });
});

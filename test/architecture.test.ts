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

/**
 * A domain refusal is a code with its facts (src/domain/errors.ts, `refuse`); its sentence is
 * written in commands/domain-errors.ts. So no domain file imports UserFacingError, the error
 * that carries a user's words (directly here; through the src/core barrel, REPLY_BUILDERS).
 */
const USER_WORDS: Rule = (target) => target === 'src/core/user-facing-error';

/**
 * Words and formats for people are on the commands side; the domain exports data. So no domain
 * module exports a `format*` or `describe*` function (declared, or listed in `export { }`), except
 * money: src/domain/money is the one home that parses and formats amounts (DESIGN.md).
 */
const WORDING_NAME = /^(?:format|describe)(?:[A-Z0-9_$]|$)/;
const wordingExports = (files: ReadonlyArray<{ file: string; source: string }>) =>
  files
    .filter(({ file }) => !file.startsWith('src/domain/money/'))
    .flatMap(({ file, source }) => {
      const declared = [...source.matchAll(/^export\s+(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|var)\s+([\w$]+)/gm)].map((m) => m[1]!);
      const listed = [...source.matchAll(/^export\s*\{([^}]*)\}/gm)].flatMap((m) =>
        m[1]!
          .split(',')
          .map((part) => part.trim().split(/\s+as\s+/).pop()!.trim())
          .filter(Boolean),
      );
      return [...declared, ...listed].filter((name) => WORDING_NAME.test(name)).map((name) => `${file}: ${name}`);
    });

const offendersOf = (rule: Rule, files: ReadonlyArray<{ file: string; source: string }>) =>
  files.flatMap(({ file, source }) =>
    importsIn(source)
      .filter((spec) => rule(resolved(file, spec)))
      .map((spec) => `${file} -> ${spec}`),
  );

const read = (dirs: readonly string[]) => dirs.flatMap(sourceFiles).map((file) => ({ file: file.split(path.sep).join('/'), source: readFileSync(path.join(root, file), 'utf8') }));

const PLATFORM = /^(@slack\/|discord\.js$|@discordjs\/)|(^|\/)platforms(\/|$)/;

/**
 * One writer per collection: each model (by its type's name) with the one file that may call its
 * write methods. Reads are fine anywhere. A new model gets an owner here (a test below says so).
 */
const OWNERS: Readonly<Record<string, string>> = {
  WorkspaceModel: 'src/domain/workspace/workspace.service.ts',
  InfluencerModel: 'src/domain/influencer/influencer.service.ts',
  TouchpointModel: 'src/domain/influencer/influencer.service.ts',
  ChangeModel: 'src/domain/audit/audit-trail.ts',
  CollaborationModel: 'src/domain/collaboration/collaboration.service.ts',
  ContentModel: 'src/domain/content/content.service.ts',
  PaymentModel: 'src/domain/payment/payment-states.ts',
  FollowUpModel: 'src/domain/nurture/nurture.service.ts',
  SnoozeModel: 'src/domain/nurture/nurture.service.ts',
  NudgePreferenceModel: 'src/domain/nurture/nurture.service.ts',
  ImportModel: 'src/domain/transfer/import.service.ts',
  RunLockModel: 'src/scheduler/run-coordinator.ts',
  JobRunModel: 'src/scheduler/job-run-ledger.ts',
  JobRunMarkModel: 'src/scheduler/job-run-ledger.ts',
  SlackInstallationModel: 'src/platforms/slack/installation-store.ts',
};

/** The models bags (`createModels`, `createSchedulerModels`) by key: `models.payments` is a PaymentModel. */
const BAG: Readonly<Record<string, string>> = {
  workspaces: 'WorkspaceModel',
  influencers: 'InfluencerModel',
  touchpoints: 'TouchpointModel',
  changes: 'ChangeModel',
  collaborations: 'CollaborationModel',
  contents: 'ContentModel',
  payments: 'PaymentModel',
  followUps: 'FollowUpModel',
  snoozes: 'SnoozeModel',
  nudgePreferences: 'NudgePreferenceModel',
  imports: 'ImportModel',
  runLocks: 'RunLockModel',
  jobRuns: 'JobRunModel',
  jobRunMarks: 'JobRunMarkModel',
};

const WRITE_METHODS =
  'create|insertMany|insertOne|bulkWrite|bulkSave|updateOne|updateMany|findOneAndUpdate|findByIdAndUpdate|findOneAndReplace|replaceOne|deleteOne|deleteMany|findOneAndDelete|findByIdAndDelete|drop';
/** A call `<receiver chain>.<write>(`, the chain possibly broken over lines (`this.payments\n  .findOneAndUpdate(`). */
const WRITE_CALL = new RegExp(String.raw`((?:[\w$]+\s*\??\.\s*)*[\w$]+)\s*\??\.\s*(${WRITE_METHODS})\s*\(`, 'g');
/** A write on a collection named by a string: nobody owns it. */
const RAW_WRITE = new RegExp(String.raw`\.collection\(\s*['"\x60]([^'"\x60]+)['"\x60]\s*\)\s*\.\s*(${WRITE_METHODS})\s*\(`, 'g');
/** A model typed by the generic `Model<...>`: a helper writing any collection, which no owner can be for. */
const GENERIC = 'Model<...>';

const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"\x60\\])\/\/.*$/gm, '$1');

/** Which names in a file hold a model, and of which type: typed (params, fields), made by a factory, or taken from a models bag. */
function modelBindings(source: string): Map<string, Set<string>> {
  const bindings = new Map<string, Set<string>>();
  const bind = (name: string, type: string) => bindings.set(name, (bindings.get(name) ?? new Set()).add(type));
  for (const m of source.matchAll(/\b([\w$]+)\??\s*:\s*(?:readonly\s+)?([A-Z]\w*Model)\b/g)) bind(m[1]!, m[2]!);
  for (const m of source.matchAll(/\b([\w$]+)\??\s*:\s*(?:mongoose\.)?Model\s*</g)) bind(m[1]!, GENERIC);
  for (const m of source.matchAll(/\b([\w$]+)\s*=\s*(?:await\s+)?([a-z]\w*)Model\s*\(/g)) bind(m[1]!, m[2]![0]!.toUpperCase() + m[2]!.slice(1) + 'Model');
  for (const m of source.matchAll(/\b([\w$]+)\s*=\s*[\w$.]*models\s*\.\s*([\w$]+)\b/gi)) if (BAG[m[2]!]) bind(m[1]!, BAG[m[2]!]!);
  for (const m of source.matchAll(/\{([^{}]*)\}\s*=\s*[\w$.]*models\b/gi)) {
    for (const part of m[1]!.split(',')) {
      const [key, local] = part.split(':').map((x) => x.trim().replace(/\s*=.*$/, ''));
      if (key && BAG[key]) bind(local || key, BAG[key]!);
    }
  }
  return bindings;
}

/** Every write on a model outside its owning file, as `file -> Type.method`. */
const ownershipOffenders = (files: ReadonlyArray<{ file: string; source: string }>) =>
  files.flatMap(({ file, source }) => {
    const code = withoutComments(source);
    const bindings = modelBindings(code);
    const offenders: string[] = [];
    for (const m of code.matchAll(WRITE_CALL)) {
      const chain = m[1]!.split('.').map((part) => part.trim().replace(/\?$/, '')).filter((part) => part !== 'this');
      if (chain.at(-1) === 'collection') chain.pop();
      const last = chain.at(-1)!;
      const fromBag = chain.length >= 2 && /models$/i.test(chain.at(-2)!) ? BAG[last] : undefined;
      const types = fromBag ? [fromBag] : [...(bindings.get(last) ?? [])];
      for (const type of types) if (OWNERS[type] !== file) offenders.push(`${file} -> ${type}.${m[2]}`);
    }
    for (const m of code.matchAll(RAW_WRITE)) offenders.push(`${file} -> collection('${m[1]}').${m[2]}`);
    return offenders;
  });

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

  it('GIVEN the domain THEN no file imports UserFacingError: refusals are codes', () => {
    expect(offendersOf(USER_WORDS, read(['src/domain']))).toEqual([]);
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

  it('GIVEN a domain file importing UserFacingError THEN the words rule names it, and the domain error module passes', () => {
    const files = [
      { file: 'src/domain/collaboration/collaboration.service.ts', source: "import { UserFacingError } from '../../core/user-facing-error';" },
      { file: 'src/domain/x/y.ts', source: "import type { UserFacingError } from '../../core/user-facing-error.js';\nimport { DomainError } from '../../core/domain-error';" },
      { file: 'src/domain/errors.ts', source: "import { DomainError } from '../core/domain-error';" },
    ];
    expect(offendersOf(USER_WORDS, files)).toEqual([
      'src/domain/collaboration/collaboration.service.ts -> ../../core/user-facing-error',
      'src/domain/x/y.ts -> ../../core/user-facing-error.js',
    ]);
  });

  it('GIVEN the domain THEN no module exports a format* or describe* function (money formats amounts in its one home)', () => {
    expect(wordingExports(read(['src/domain']))).toEqual([]);
  });

  it('GIVEN domain modules exporting formatters or describers THEN the wording rule names each, and money, private helpers and other names pass', () => {
    const files = [
      { file: 'src/domain/influencer/influencer-rules.ts', source: "export const formatBirthday = (b: Birthday) => '';\nexport function describeDaysAway(days: number) {}\nexport const formatted = 1;" },
      { file: 'src/domain/nurture/nurture-rules.ts', source: "export { formatCadence } from './cadence';\nexport { cadenceFor, x as describe_it };\nfunction formatHidden() {}" },
      { file: 'src/domain/report/report.service.ts', source: 'export async function describeMonth() {}\n  export const formatInside = 1;\nexport class ReportService { describe() {} }' },
      { file: 'src/domain/money/money.ts', source: 'export const formatMoney = (money: Money) => "";\nexport function formatMoneyList() {}' },
    ];
    expect(wordingExports(files)).toEqual([
      'src/domain/influencer/influencer-rules.ts: formatBirthday',
      'src/domain/influencer/influencer-rules.ts: describeDaysAway',
      'src/domain/nurture/nurture-rules.ts: formatCadence',
      'src/domain/nurture/nurture-rules.ts: describe_it',
      'src/domain/report/report.service.ts: describeMonth',
    ]);
  });

  it('GIVEN the code THEN each model is written only by its owning file (reads anywhere)', () => {
    expect(ownershipOffenders(read(['src', 'commands', 'jobs']))).toEqual([]);
  });

  it('GIVEN every model type and models bag THEN each has an owner, and each owner exists', () => {
    const declared = read(['src']).flatMap(({ source }) => [...source.matchAll(/export type ([A-Z]\w*Model) = ReturnType/g)].map((m) => m[1]!));
    expect(declared.filter((type) => !OWNERS[type])).toEqual([]);
    const bagKeys = (file: string, fn: string) => {
      const body = readFileSync(path.join(root, file), 'utf8').split(`function ${fn}(`)[1]!.split('\n}')[0]!;
      return [...body.matchAll(/^\s{4}([\w$]+):/gm)].map((m) => m[1]!);
    };
    const keys = [...bagKeys('src/domain/services.ts', 'createModels'), ...bagKeys('src/scheduler/scheduler.models.ts', 'createSchedulerModels')];
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((key) => !BAG[key])).toEqual([]);
    expect([...new Set(Object.values(OWNERS))].filter((file) => !statSync(path.join(root, file), { throwIfNoEntry: false })?.isFile())).toEqual([]);
  });

  it('GIVEN a model written outside its owning file THEN the ownership rule names it, and reads or owned writes pass', () => {
    const files = [
      {
        file: 'src/domain/influencer/influencer-import.ts',
        source: 'export class CreatorImporter {\n  constructor(private readonly influencers: InfluencerModel) {}\n  async apply() {\n    await this.influencers.collection.insertMany(docs, { ordered: true });\n    return this.influencers.find({}).lean();\n  }\n}',
      },
      { file: 'src/domain/content/content.service.ts', source: 'constructor(private readonly changes: ChangeModel, private readonly contents: ContentModel) {}\nawait this.changes.create({ action });\nawait this.contents.updateOne({}, {});' },
      { file: 'src/domain/x.migration.ts', source: 'export async function m(models: Models) {\n  await models.collaborations\n    .updateMany({}, { $set: { x: 1 } });\n  const { payments, touchpoints: tp } = models;\n  await payments.deleteOne({});\n  await tp.bulkWrite([]);\n}' },
      { file: 'src/domain/y.ts', source: "export async function upgrade(model: Model<any>) { await model.bulkWrite([]); }\nconst m = influencerModel(conn);\nawait m?.replaceOne({}, {});\nawait conn.db.collection('payments').updateOne({}, {});" },
      { file: 'src/domain/report/report.service.ts', source: 'constructor(private readonly payments: PaymentModel) {}\nconst due = await this.payments.find({}).lean();\n// this.payments.updateMany({}, {}) in a comment is no write' },
      { file: 'src/domain/collaboration/collaboration-start.ts', source: 'constructor(private readonly collaborations: CollaborationService) {}\nawait this.collaborations.create(workspace, influencer, input, actorId);' },
      { file: 'src/domain/influencer/influencer.service.ts', source: 'constructor(private readonly influencers: InfluencerModel) {}\nawait this.influencers\n  .findOneAndUpdate({}, {});' },
    ];
    expect(ownershipOffenders(files)).toEqual([
      'src/domain/influencer/influencer-import.ts -> InfluencerModel.insertMany',
      'src/domain/content/content.service.ts -> ChangeModel.create',
      'src/domain/x.migration.ts -> CollaborationModel.updateMany',
      'src/domain/x.migration.ts -> PaymentModel.deleteOne',
      'src/domain/x.migration.ts -> TouchpointModel.bulkWrite',
      'src/domain/y.ts -> Model<...>.bulkWrite',
      'src/domain/y.ts -> InfluencerModel.replaceOne',
      "src/domain/y.ts -> collection('payments').updateOne",
    ]);
  });
});

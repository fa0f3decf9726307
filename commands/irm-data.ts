import { z } from 'zod';
import {
  NETWORKS,
  UserFacingError,
  actions,
  button,
  context,
  file,
  header,
  literal,
  localDay,
  oneOf,
  optional,
  para,
  reply,
  subcommand,
  text,
  upload,
  wholeNumber,
  type Block,
  type Form,
  type Network,
} from '../src/core';
import { csvFile, headerKey, parseCsv } from '../src/domain/csv/csv';
import type { ImportPlan, ImportRefusal, ImportRow } from '../src/domain/influencer/influencer-import';
import type { Handle } from '../src/domain/influencer/influencer-rules';
import { mapCreatorHeader } from '../src/domain/transfer/creator-columns';
import { EXPORTS } from '../src/domain/transfer/export.service';
import { yesNo } from './collab.schema';
import { autoLabelWords } from './payment-label';
import { addInput, handle as handleRule } from './influencer.schema';

/** `/irm export` and `/irm import`: a workspace's data out as CSV files, and creators in from a spreadsheet. */

export const exportSubcommand = subcommand({
  description: `A CSV file of every ${EXPORTS.join(', ')} record, sent only to you (it holds personal data).`,
  positional: ['what'],
  input: z.object({ what: oneOf('what', EXPORTS) }),
  examples: ['/irm export creators', '/irm export payments'],
  async run({ what }, ctx) {
    const table = await ctx.services.exports.table(ctx.workspace, what, { autoLabel: autoLabelWords });
    const csv = await csvFile(table.header, table.rows);
    const name = `${what}-${localDay(ctx.now, ctx.workspace.timezone)}.csv`;
    const count = `${csv.rows} ${csv.rows === 1 ? 'row' : 'rows'}`;
    return {
      ...reply([
        para(`Here is *${name}*: ${count}.`),
        context(
          'Only you received it: it holds personal data. Cells that a spreadsheet would run as formulas start with an apostrophe.' +
            (what === 'creators' ? ' `/irm import` reads this file back (into this or another workspace).' : ''),
        ),
      ]),
      files: [file(name, 'text/csv', csv.bytes)],
    };
  },
});

// ---------------------------------------------------------------- import

/** The form fields' own rules, field by field: a cell is refused exactly as the form would refuse it. */
const cellRules = {
  name: addInput.shape.name,
  email: addInput.shape.email,
  phone: addInput.shape.phone,
  address: addInput.shape.address,
  birthday: addInput.shape.birthday,
  timezone: addInput.shape.timezone,
  tags: addInput.shape.tags,
  preferences: addInput.shape.preferences,
  owner: addInput.shape.owner,
  stage: addInput.shape.stage,
  source: addInput.shape.source,
  notes: addInput.shape.notes,
  archived: yesNo('archived'),
} as const;

const followers = wholeNumber('followers');

interface ReadFile {
  rows: ImportRow[];
  refused: Array<{ row: number; column: string; reason: string }>;
  unknown: string[];
  repeated: string[];
  total: number;
}

/** Parses and validates a creators file; a file that cannot be read at all is a UserFacingError. */
function readCreatorsFile(fileName: string, text: string): ReadFile {
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    const why = {
      empty: 'it is empty',
      'no-header': 'its first row (the column names) is blank',
      malformed: `it is not valid CSV${parsed.row ? ` (near line ${parsed.row})` : ''}: a quote is probably left open`,
    }[parsed.code];
    throw new UserFacingError(`${fileName} cannot be imported: ${why}. Save the sheet as CSV (UTF-8) with the column names in the first row.`, { file: why });
  }
  const { header, rows } = parsed.table;
  const { fields, unknown, repeated } = mapCreatorHeader(header, headerKey);
  if (!fields.includes('id') && !fields.includes('name') && !fields.some((f) => f && (NETWORKS as readonly string[]).includes(f)) && !fields.includes('email')) {
    throw new UserFacingError(
      `${fileName} has no column a creator can be recognised by: it needs "id" (as exported), "name", or a handle column such as "instagram", or "email". Columns found: ${header.join(', ') || 'none'}.`,
      { file: 'no id, name, handle or email column' },
    );
  }
  const out: ReadFile = { rows: [], refused: [], unknown, repeated, total: rows.length };
  for (const { row, cells } of rows) {
    const given: ImportRow['given'] = {};
    const handles: Handle[] = [];
    const problems: ReadFile['refused'] = [];
    let id: { value: string; column: string } | undefined;
    let archived: boolean | undefined;
    const byNetwork = new Map<Network, { handle?: string; followers?: number; column: string }>();
    fields.forEach((field, i) => {
      const cell = cells[i] ?? '';
      if (!field || cell === '') return;
      const column = header[i]!;
      const refuse = (result: { success: false; error: z.ZodError }) => problems.push({ row, column, reason: result.error.issues[0]?.message ?? 'not accepted' });
      if (field === 'id') {
        if (CREATOR_ID.test(cell)) id = { value: cell.toLowerCase(), column };
        else problems.push({ row, column, reason: 'an id is the 24 letters and digits of a creator id, as the export writes it; leave it blank to add the row as a new creator' });
      } else if ((NETWORKS as readonly string[]).includes(field)) {
        const result = handleRule.safeParse(cell);
        if (result.success) byNetwork.set(field as Network, { ...byNetwork.get(field as Network), handle: result.data, column });
        else refuse(result);
      } else if (field.endsWith(' followers')) {
        const network = field.slice(0, -' followers'.length) as Network;
        const result = followers.safeParse(cell);
        if (result.success) byNetwork.set(network, { column, ...byNetwork.get(network), followers: result.data });
        else refuse(result);
      } else {
        const rule = cellRules[field as keyof typeof cellRules];
        const result = rule.safeParse(cell);
        if (!result.success) refuse(result);
        else if (field === 'archived') archived = result.data as boolean;
        else if (field === 'owner') given.ownerId = result.data as string;
        else Object.assign(given, { [field]: result.data });
      }
    });
    for (const [network, entry] of byNetwork) {
      if (entry.handle) handles.push({ network, handle: entry.handle, ...(entry.followers !== undefined ? { followers: entry.followers } : {}) });
      else problems.push({ row, column: entry.column, reason: `followers goes with a handle: fill in the ${network} column too` });
    }
    if (problems.length > 0) {
      out.refused.push(...problems);
      continue;
    }
    if (handles.length > 0) given.handles = handles;
    out.rows.push({ row, ...(id ? { id: id.value, idColumn: id.column } : {}), given, ...(archived !== undefined ? { archived } : {}) });
  }
  return out;
}

const MAX_LISTED = 10;
/** A creator id as the export writes it; a spreadsheet may have upper-cased it. */
const CREATOR_ID = /^[a-f0-9]{24}$/i;
const listOf = <T>(items: readonly T[], line: (item: T) => string): string =>
  [...items.slice(0, MAX_LISTED).map(line), ...(items.length > MAX_LISTED ? [`… and ${items.length - MAX_LISTED} more`] : [])].join('\n');

function refusalReason(refusal: ImportRefusal): string {
  switch (refusal.code) {
    case 'handle-taken':
      return `already belongs to ${literal(refusal.otherName)}`;
    case 'several-match':
      return `this row matches several creators (${refusal.names.map(literal).join(', ')}); leave out the cell that names the wrong one`;
    case 'same-as-row':
      return `the same creator as row ${refusal.otherRow}, which is imported instead`;
    case 'name-required':
      return 'a new creator needs a name';
    case 'unknown-id':
      return `no creator in this workspace has the id ${literal(refusal.id)}: check it, or leave it blank to add the row as a new creator`;
  }
}

function allRefusals(file: ReadFile, plan: ImportPlan): Array<{ row: number; column: string; reason: string }> {
  return [...file.refused, ...plan.refused.map((r) => ({ row: r.row, column: r.column, reason: refusalReason(r) }))].sort((a, b) => a.row - b.row);
}

function summaryBlocks(fileName: string, file: ReadFile, plan: ImportPlan, applied: boolean): Block[] {
  const refused = allRefusals(file, plan);
  // A row can be refused for several cells: the count is of rows, so the four counts add up to the rows.
  const refusedRows = new Set(refused.map((r) => r.row)).size;
  const verb = applied ? { created: 'added', updated: 'updated' } : { created: 'new', updated: 'to update' };
  const blocks: Block[] = [
    para(
      `*${literal(fileName)}*: ${file.total} row${file.total === 1 ? '' : 's'} · ${plan.created.length} ${verb.created} · ${plan.updated.length} ${verb.updated} · ` +
        `${plan.unchanged.length} unchanged · ${refusedRows} refused`,
    ),
  ];
  if (plan.updated.length > 0) {
    blocks.push(para(`${applied ? 'Updated' : 'Updates'} (the fields that change):\n${listOf(plan.updated, (u) => `• row ${u.row} ${literal(u.name)}: ${u.fields.join(', ')}`)}`));
  }
  if (refused.length > 0) {
    blocks.push(para(`Refused:\n${listOf(refused, (r) => `• row ${r.row}, column ${literal(r.column)}: ${r.reason}`)}`));
  }
  const ignored = [...file.unknown.map((h) => `"${h}"`), ...file.repeated.map((h) => `"${h}" (a second column for the same field)`)];
  if (ignored.length > 0) blocks.push(context(`Columns ignored: ${literal(ignored.join(', '))}.`));
  return blocks;
}

export const importSubcommand = subcommand({
  description:
    'Import creators from a CSV file: a preview first (new, updated with the fields that change, refused rows with why), then Import. ' +
    'Rows match existing creators by id, handle or email; blank cells never clear a field; importing the same file again changes nothing.',
  positional: ['file'],
  input: z
    .object({
      file: optional(upload.describe('The CSV file (first row: column names such as name, instagram, email)')),
      apply: optional(z.string().trim().regex(/^[a-f0-9]{24}$/i, 'apply must be the id of an import preview: the Import button carries it')),
    })
    .refine((value) => value.file || value.apply, { path: ['file'], message: 'file: attach a CSV file (first row: column names such as name, instagram, email)' }),
  examples: ['/irm import', 'irm import ./creators.csv (console)', '/irm import file:<attach creators.csv> (Discord)'],
  form: (args, ctx): Form | undefined =>
    Object.keys(args).length === 0 && ctx.workspace.platform !== 'discord'
      ? {
          kind: 'form',
          title: 'Import creators',
          submitLabel: 'Preview',
          fields: [{ name: 'file', label: 'CSV file', kind: 'file', required: true, hint: 'First row: column names such as name, instagram, instagram followers, email, tags, stage.' }],
          submit: { command: 'irm', subcommand: 'import', args: {} },
        }
      : undefined,
  async run({ file, apply }, ctx) {
    if (apply) {
      const pending = await ctx.services.imports.pending(ctx.workspace.id, ctx.actor.id, apply);
      if (!pending.ok) {
        if (pending.code === 'not-found') return text('That import preview is not there any more (previews last two days, and only the person who made it can apply it). Run `/irm import` again.');
        return text(pending.code === 'applying' ? 'This import is being applied right now.' : 'This file was already imported. Running `/irm import` with it again shows what, if anything, would change.');
      }
      const read = readCreatorsFile(pending.fileName, pending.csv);
      const outcome = await ctx.services.imports.apply(ctx.workspace.id, ctx.actor.id, apply, read.rows);
      if ('code' in outcome) return text('This import is already being applied, or was.');
      const blocks = summaryBlocks(pending.fileName, read, outcome, true);
      if (outcome.failure) {
        const { notApplied, uncertain } = outcome.failure;
        blocks.unshift(
          para(
            `*The import stopped part-way* (${outcome.failure.cause === 'duplicate-handle' ? 'a handle was taken by someone else meanwhile' : 'the database failed'}). ` +
              `${notApplied.length} row${notApplied.length === 1 ? ' was' : 's were'} not written${notApplied.length ? ` (rows ${ranges(notApplied)})` : ''}` +
              `${uncertain.length ? `; rows ${ranges(uncertain)} may or may not have been` : ''}; every other row below was. ` +
              'Importing the same file again finishes it: rows already in are matched and left as they are.',
          ),
        );
        return reply(blocks);
      }
      blocks.unshift(header('Imported'));
      blocks.push(context('Fix the refused rows and import the file again: the rows already in are matched and left as they are.'));
      return reply(blocks);
    }
    const upload = file!;
    const csv = new TextDecoder('utf-8').decode(upload.bytes);
    const read = readCreatorsFile(upload.name, csv);
    const { importId, plan } = await ctx.services.imports.preview(ctx.workspace.id, ctx.actor.id, { name: upload.name, csv }, read.rows);
    const blocks = [header('Import preview'), ...summaryBlocks(upload.name, read, plan, false)];
    const changes = plan.created.length + plan.updated.length;
    blocks.push(
      changes > 0
        ? actions(button(`Import ${changes} row${changes === 1 ? '' : 's'}`, `irm import apply:${importId}`, 'primary'))
        : context('Nothing to import: every valid row matches a creator as it is.'),
    );
    return reply(blocks);
  },
});

/** `2-5, 9, 12-13` from sorted row numbers. */
function ranges(rows: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j]! + 1) j++;
    parts.push(j > i ? `${rows[i]}-${rows[j]}` : String(rows[i]));
    i = j;
  }
  return parts.join(', ');
}

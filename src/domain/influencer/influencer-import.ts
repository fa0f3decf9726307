import { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import type { AuditTrail } from '../audit/audit-trail';
import { fold } from '../fold';
import type { InfluencerModel } from './influencer.model';
import type { Handle } from './influencer-rules';
import { searchFields, type Searchable } from './influencer-search';
import { diff, publicFields, uniqueHandles, uniqueKeys, type Influencer, type InfluencerInput, type InfluencerService } from './influencer.service';

/** One valid row of an import: the fields its file gave (blank cells are not given: they never clear). */
export interface ImportRow {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  id?: string;
  /** The column the id came from, as the file names it (`ID`, `creator id`). */
  idColumn?: string;
  given: Partial<InfluencerInput> & { name?: string };
  archived?: boolean;
}

export type ImportRefusal =
  | { row: number; column: string; code: 'handle-taken'; otherName: string }
  | { row: number; column: string; code: 'several-match'; names: string[] }
  | { row: number; column: string; code: 'same-as-row'; otherRow: number }
  | { row: number; column: 'name'; code: 'name-required' }
  /** The row names an id no creator of this workspace has: a typo, or a row from another workspace's export. */
  | { row: number; column: string; code: 'unknown-id'; id: string };

export interface ImportPlan {
  created: Array<{ row: number; name: string }>;
  updated: Array<{ row: number; name: string; fields: string[] }>;
  unchanged: number[];
  refused: ImportRefusal[];
}

export interface ImportOutcome extends ImportPlan {
  /** Set when a write failed part-way: rows before it were written, these were not (or not known to be). */
  failure?: { notApplied: number[]; uncertain: number[]; cause: string };
}

/** Bulk writes of this many documents each (a round trip per chunk; 10,000 rows in 10 inserts). */
export const IMPORT_CHUNK = 1000;

type Write =
  | { kind: 'insert'; row: number; doc: Record<string, unknown>; fields: ReturnType<typeof diff> }
  | { kind: 'update'; row: number; id: Types.ObjectId; $set: Record<string, unknown>; $unset: Record<string, 1>; fields: ReturnType<typeof diff> };

/**
 * Creators from a spreadsheet: each row matches an existing creator by id, handle or email (by
 * name only when it gives neither), and becomes a new creator, an update of the fields that
 * differ, or nothing. Every row is one document write, so nothing is half-written within a row;
 * importing the same file again matches every row and changes nothing, which is also how an
 * import cut short is finished.
 */
export class CreatorImporter {
  constructor(
    /** Read only: every write goes through the owning service. */
    private readonly influencers: InfluencerModel,
    private readonly creators: InfluencerService,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  async plan(workspaceId: string, rows: readonly ImportRow[], actorId: string): Promise<{ plan: ImportPlan; writes: Write[] }> {
    const wsId = new Types.ObjectId(workspaceId);
    const existing = await this.candidates(wsId, rows);
    const byId = new Map(existing.map((r) => [String(r._id), r]));
    const byKey = new Map<string, Influencer>();
    const byEmail = new Map<string, Influencer[]>();
    const byName = new Map<string, Influencer[]>();
    for (const record of existing) {
      for (const key of record.handleKeys ?? []) byKey.set(key, record);
      if (record.email) byEmail.set(record.email, [...(byEmail.get(record.email) ?? []), record]);
      byName.set(record.nameKey, [...(byName.get(record.nameKey) ?? []), record]);
    }

    const plan: ImportPlan = { created: [], updated: [], unchanged: [], refused: [] };
    const writes: Write[] = [];
    const claimedRecord = new Map<string, number>();
    const claimedKey = new Map<string, number>();
    const claimedEmail = new Map<string, number>();
    const now = this.clock();

    for (const row of rows) {
      // Ids are hexadecimal: a spreadsheet that upper-cased them still names the same creator.
      const id = row.id?.toLowerCase();
      if (id && !byId.has(id)) {
        plan.refused.push({ row: row.row, column: row.idColumn ?? 'id', code: 'unknown-id', id: row.id! });
        continue;
      }
      const handles = uniqueHandles(row.given.handles ?? []);
      const keys = uniqueKeys(wsId, handles) ?? [];
      // Who this row is: each way of recognising it, with the column that says so.
      const matches: Array<{ record: Influencer; column: string }> = [];
      if (id) matches.push({ record: byId.get(id)!, column: row.idColumn ?? 'id' });
      handles.forEach((h, i) => {
        const found = byKey.get(keys[i]!);
        if (found) matches.push({ record: found, column: h.network });
      });
      if (row.given.email) for (const found of byEmail.get(row.given.email) ?? []) matches.push({ record: found, column: 'email' });
      if (matches.length === 0 && handles.length === 0 && !row.given.email && row.given.name) {
        for (const found of byName.get(fold(row.given.name)) ?? []) matches.push({ record: found, column: 'name' });
      }
      const distinct = [...new Map(matches.map((m) => [String(m.record._id), m])).values()];
      if (distinct.length > 1) {
        plan.refused.push({ row: row.row, column: distinct[1]!.column, code: 'several-match', names: distinct.map((m) => m.record.name) });
        continue;
      }
      const match = distinct[0]?.record;
      // Two rows of the file naming the same creator or the same handle: the first one wins.
      const earlier =
        (match && claimedRecord.has(String(match._id)) ? { column: distinct[0]!.column, row: claimedRecord.get(String(match._id))! } : undefined) ??
        keys.map((k, i) => (claimedKey.has(k) ? { column: handles[i]!.network, row: claimedKey.get(k)! } : undefined)).find(Boolean) ??
        (!match && row.given.email && claimedEmail.has(row.given.email) ? { column: 'email', row: claimedEmail.get(row.given.email)! } : undefined);
      if (earlier) {
        plan.refused.push({ row: row.row, column: earlier.column, code: 'same-as-row', otherRow: earlier.row });
        continue;
      }
      if (match) claimedRecord.set(String(match._id), row.row);
      for (const k of keys) claimedKey.set(k, row.row);
      if (row.given.email) claimedEmail.set(row.given.email, row.row);

      if (!match) {
        if (!row.given.name) {
          plan.refused.push({ row: row.row, column: 'name', code: 'name-required' });
          continue;
        }
        const input = { ...row.given, name: row.given.name, handles, tags: row.given.tags ?? [], ownerId: row.given.ownerId ?? actorId, stage: row.given.stage ?? 'prospect' };
        const doc = {
          _id: new Types.ObjectId(),
          ...input,
          workspaceId: wsId,
          handleKeys: keys.length > 0 ? keys : undefined,
          nameKey: fold(input.name),
          ...searchFields(input as Searchable),
          ...(row.archived ? { archivedAt: now } : {}),
          createdAt: now,
          updatedAt: now,
        };
        plan.created.push({ row: row.row, name: input.name });
        writes.push({ kind: 'insert', row: row.row, doc, fields: diff({}, publicFields(doc as Partial<Influencer>)) });
        continue;
      }

      // An update: the networks the row names replace the record's handle on that network.
      const next = { ...match, ...row.given } as Influencer;
      if (handles.length > 0) {
        // In place, keeping the stored follower count when the row names the same handle without one.
        const given = new Map(handles.map((h) => [h.network, h]));
        const merged = match.handles.map((h) => {
          const row = given.get(h.network);
          if (!row) return h;
          given.delete(h.network);
          return row.handle === h.handle && row.followers === undefined ? h : row;
        });
        next.handles = uniqueHandles([...merged, ...given.values()] as Handle[]) as Influencer['handles'];
      } else {
        next.handles = match.handles;
      }
      const fields = diff(publicFields(match), publicFields(next));
      const archive = row.archived === true && !match.archivedAt ? now : row.archived === false && match.archivedAt ? null : undefined;
      if (fields.length === 0 && archive === undefined) {
        plan.unchanged.push(row.row);
        continue;
      }
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, 1> = {};
      for (const f of fields) $set[f.field] = (next as unknown as Record<string, unknown>)[f.field];
      if ($set.handles) $set.handleKeys = uniqueKeys(wsId, next.handles as never) ?? [];
      Object.assign($set, { nameKey: fold(next.name), ...searchFields(next as Searchable), updatedAt: now });
      if (archive) $set.archivedAt = archive;
      if (archive === null) $unset.archivedAt = 1;
      const changed = [...fields, ...(archive !== undefined ? [{ field: 'archivedAt', from: match.archivedAt ?? null, to: archive }] : [])];
      plan.updated.push({ row: row.row, name: next.name, fields: changed.map((f) => (f.field === 'archivedAt' ? 'archived' : f.field)) });
      writes.push({ kind: 'update', row: row.row, id: match._id, $set, $unset, fields: changed });
    }
    return { plan, writes };
  }

  /** Plans again against what is stored now, then writes in bulk, chunk by chunk, stopping at the first failure. */
  async apply(workspaceId: string, rows: readonly ImportRow[], actorId: string): Promise<ImportOutcome> {
    const { plan, writes } = await this.plan(workspaceId, rows, actorId);
    const wsId = new Types.ObjectId(workspaceId);
    for (let start = 0; start < writes.length; start += IMPORT_CHUNK) {
      const chunk = writes.slice(start, start + IMPORT_CHUNK);
      const inserts = chunk.filter((w): w is Extract<Write, { kind: 'insert' }> => w.kind === 'insert');
      const updates = chunk.filter((w): w is Extract<Write, { kind: 'update' }> => w.kind === 'update');
      let done: Write[] = [];
      try {
        await this.creators.insertImported(inserts.map((w) => stripUndefined(w.doc)));
        done = [...inserts];
        await this.creators.updateImported(wsId, updates);
        done = [...inserts, ...updates];
      } catch (error) {
        // Ordered writes stop at the first error: the ones before it are in, the rest are not.
        const part = done.length < inserts.length ? inserts : updates;
        const firstFailed = (error as { writeErrors?: Array<{ index: number }> }).writeErrors?.[0]?.index;
        const applied = firstFailed === undefined ? done : [...done, ...part.slice(0, firstFailed)];
        await this.record(wsId, applied, actorId);
        const appliedRows = new Set(applied.map((w) => w.row));
        const later = writes.slice(start + IMPORT_CHUNK).map((w) => w.row);
        // Without a per-write answer (a dropped connection), the chunk's outcome is unknown.
        const uncertain = firstFailed === undefined ? part.map((w) => w.row) : [];
        const notApplied = [
          ...(firstFailed === undefined ? [] : part.slice(firstFailed).map((w) => w.row)),
          ...(part === inserts ? updates.map((w) => w.row) : []),
          ...later,
        ].filter((row) => !appliedRows.has(row));
        return { ...plan, failure: { notApplied: notApplied.sort((a, b) => a - b), uncertain, cause: describeCause(error) } };
      }
      await this.record(wsId, chunk, actorId);
    }
    return plan;
  }

  private async record(wsId: Types.ObjectId, writes: readonly Write[], actorId: string) {
    await this.audit.recordMany(
      writes.map((w) => ({
        workspaceId: wsId,
        entity: 'influencer',
        entityId: w.kind === 'insert' ? (w.doc._id as Types.ObjectId) : w.id,
        action: w.kind === 'insert' ? 'import' : 'import-update',
        actorId,
        fields: w.fields,
      })),
    );
  }

  /** The creators any row could be: by id, handle key, email, or name; one query. */
  private async candidates(wsId: Types.ObjectId, rows: readonly ImportRow[]): Promise<Influencer[]> {
    const ids = rows.map((r) => r.id).filter((id): id is string => Boolean(id && /^[a-f0-9]{24}$/i.test(id))).map((id) => new Types.ObjectId(id));
    const keys = rows.flatMap((r) => uniqueKeys(wsId, uniqueHandles(r.given.handles ?? [])) ?? []);
    const emails = rows.map((r) => r.given.email).filter((e): e is string => Boolean(e));
    const names = rows.filter((r) => !r.given.email && !(r.given.handles ?? []).length && r.given.name).map((r) => fold(r.given.name!));
    const or = [
      ...(ids.length ? [{ _id: { $in: ids } }] : []),
      ...(keys.length ? [{ handleKeys: { $in: keys } }] : []),
      ...(emails.length ? [{ email: { $in: emails } }] : []),
      ...(names.length ? [{ nameKey: { $in: names } }] : []),
    ];
    if (or.length === 0) return [];
    return this.influencers.find({ workspaceId: wsId, $or: or }, { searchKeys: 0 }).lean<Influencer[]>();
  }
}

function stripUndefined(doc: Record<string, unknown>): Record<string, unknown> & { _id: Types.ObjectId } {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== undefined)) as Record<string, unknown> & { _id: Types.ObjectId };
}

function describeCause(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 11000) return 'duplicate-handle';
  return 'database';
}


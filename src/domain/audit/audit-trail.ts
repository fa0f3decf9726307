import type { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import type { ChangeModel } from './change.model';

/** One field's change: stored values, the presenter prints them. */
export interface RecordedField {
  field: string;
  from: unknown;
  to: unknown;
}

/** A change to record: who did what to which record, field by field. */
export interface ChangeEntry {
  workspaceId: Types.ObjectId;
  /** `influencer`, `collaboration`, `content`, `payment`. */
  entity: string;
  entityId: Types.ObjectId;
  /** Other records whose history lists this change (a content piece's creator and collaboration). */
  about?: Types.ObjectId[];
  action: string;
  actorId: string;
  /** Defaults to the clock's now; a batch passes one instant so its records sort together. */
  at?: Date;
  fields: RecordedField[];
  /**
   * Chosen before the change's first write by work that may be retried part way (no transactions):
   * recorded once however often it is recorded.
   */
  id?: Types.ObjectId;
}

/** A recorded change as the history views read it. */
export interface RecordedChange {
  _id: Types.ObjectId;
  entity: string;
  entityId: Types.ObjectId;
  at: Date;
  actorId: string;
  action: string;
  fields: RecordedField[];
}

/**
 * The audit trail: the one writer of the `changes` collection, and the reads the history views
 * need. Services record what they did through it; none holds the model.
 */
export class AuditTrail {
  constructor(
    private readonly changes: ChangeModel,
    private readonly clock: Clock,
  ) {}

  async record(entry: ChangeEntry): Promise<void> {
    if (entry.id) await this.changes.updateOne({ _id: entry.id }, { $setOnInsert: this.document(entry) }, { upsert: true });
    else await this.changes.create(this.document(entry));
  }

  /** Many changes in one round trip (none: no round trip). Unordered: one refused record never holds back the others. */
  async recordMany(entries: readonly ChangeEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const at = this.clock();
    await this.changes.insertMany(
      entries.map((entry) => this.document({ at, ...entry })),
      { ordered: false },
    );
  }

  /** The last changes of one record of `entity`, newest first. */
  async of(workspaceId: Types.ObjectId, entityId: Types.ObjectId, options: { entity: string; limit: number }): Promise<RecordedChange[]> {
    return this.changes
      .find({ workspaceId, entity: options.entity, entityId })
      .sort({ at: -1, _id: -1 })
      .limit(options.limit)
      .lean<RecordedChange[]>();
  }

  /**
   * One page of a record's changes, newest first, and how many it has in all (two reads side by
   * side on the `workspaceId, entityId, at` index): every change stays listable, however many.
   * With `includeAbout`, also the changes listing it (a creator's content pieces).
   */
  async page(
    workspaceId: Types.ObjectId,
    entityId: Types.ObjectId,
    options: { entity?: string; includeAbout?: boolean; page: number; pageSize: number },
  ): Promise<{ items: RecordedChange[]; total: number }> {
    const who = options.includeAbout ? { $or: [{ entityId }, { about: entityId }] } : { entityId };
    const filter = { workspaceId, ...(options.entity ? { entity: options.entity } : {}), ...who };
    const [items, total] = await Promise.all([
      this.changes
        .find(filter)
        .sort({ at: -1, _id: -1 })
        .skip((options.page - 1) * options.pageSize)
        .limit(options.pageSize)
        .lean<RecordedChange[]>(),
      this.changes.countDocuments(filter),
    ]);
    return { items, total };
  }

  /** The first recorded change of one record (its creation), or none. */
  async oldest(workspaceId: Types.ObjectId, entityId: Types.ObjectId, entity: string): Promise<RecordedChange | null> {
    return this.changes.findOne({ workspaceId, entityId, entity }).sort({ at: 1, _id: 1 }).lean<RecordedChange>();
  }

  /** Every change of one record that touched `field`, newest first (e.g. a payment's currency changes: few). */
  async touching(workspaceId: Types.ObjectId, entityId: Types.ObjectId, entity: string, field: string): Promise<RecordedChange[]> {
    return this.changes.find({ workspaceId, entityId, entity, 'fields.field': field }).sort({ at: -1, _id: -1 }).lean<RecordedChange[]>();
  }

  /** Per record id, the fields its `action` changes have touched (e.g. what `/payment edit` set by hand). */
  async fieldsTouched(workspaceId: Types.ObjectId, entity: string, action: string, ids: readonly Types.ObjectId[]): Promise<Map<string, Set<string>>> {
    const touched = new Map<string, Set<string>>();
    if (ids.length === 0) return touched;
    const records = await this.changes.find({ workspaceId, entityId: { $in: ids }, entity, action }, { entityId: 1, fields: 1 }).lean();
    for (const record of records) {
      const fields = touched.get(String(record.entityId)) ?? new Set<string>();
      for (const { field } of record.fields ?? []) fields.add(field);
      touched.set(String(record.entityId), fields);
    }
    return touched;
  }

  /**
   * Right to be forgotten: in every past change of the record, the values of `fields` become
   * `blank(value)` (the fact that a field changed stays). Idempotent; returns how many changes were
   * rewritten. A record's history is short: read it, write back what changed.
   */
  async erase(workspaceId: Types.ObjectId, entityId: Types.ObjectId, fields: readonly string[], blank: (value: unknown) => unknown): Promise<number> {
    const past = await this.changes.find({ workspaceId, entityId }).lean();
    const rewrites = past.flatMap((change) => {
      const blanked = change.fields.map((f) => (fields.includes(f.field) ? { field: f.field, from: blank(f.from), to: blank(f.to) } : f));
      return JSON.stringify(blanked) === JSON.stringify(change.fields) ? [] : [{ updateOne: { filter: { _id: change._id, workspaceId }, update: { $set: { fields: blanked } } } }];
    });
    if (rewrites.length > 0) await this.changes.bulkWrite(rewrites, { ordered: false });
    return rewrites.length;
  }

  private document(entry: ChangeEntry) {
    return {
      workspaceId: entry.workspaceId,
      entity: entry.entity,
      entityId: entry.entityId,
      ...(entry.about ? { about: entry.about } : {}),
      action: entry.action,
      actorId: entry.actorId,
      at: entry.at ?? this.clock(),
      fields: entry.fields,
    };
  }
}

import { Types } from 'mongoose';
import type { Clock } from '../../core/command';
import type { CreatorImporter, ImportOutcome, ImportPlan, ImportRow } from '../influencer/influencer-import';
import type { ImportDoc, ImportModel } from './import.model';

export type PendingImport =
  | { ok: true; csv: string; fileName: string }
  | { ok: false; code: 'not-found' | 'applying' | 'applied'; finishedAt?: Date };

/** Keeps a previewed creators file until its "Import", and makes that apply happen once. */
export class ImportService {
  constructor(
    private readonly imports: ImportModel,
    private readonly importer: CreatorImporter,
    private readonly clock: Clock,
  ) {}

  /** Plans without writing, and keeps the file for the "Import" button. */
  async preview(workspaceId: string, actorId: string, file: { name: string; csv: string }, rows: readonly ImportRow[]): Promise<{ importId: string; plan: ImportPlan }> {
    const { plan } = await this.importer.plan(workspaceId, rows, actorId);
    const created = await this.imports.create({ workspaceId: new Types.ObjectId(workspaceId), actorId, fileName: file.name, csv: file.csv, status: 'previewed', createdAt: this.clock() });
    return { importId: String(created._id), plan };
  }

  /**
   * Drops the files of every preview still waiting in a workspace (when a creator's personal data
   * is erased, a waiting file may hold it). Those previews can no longer be applied.
   */
  async discardPending(workspaceId: string): Promise<number> {
    const result = await this.imports.updateMany(
      { workspaceId: new Types.ObjectId(workspaceId), status: 'previewed' },
      { $set: { status: 'applied', finishedAt: this.clock(), summary: { failed: true } }, $unset: { csv: 1 } },
    );
    return result.modifiedCount;
  }

  /** The file of a preview made by this person in this workspace, if it is still waiting. */
  async pending(workspaceId: string, actorId: string, importId: string): Promise<PendingImport> {
    if (!/^[a-f0-9]{24}$/i.test(importId)) return { ok: false, code: 'not-found' };
    const found = await this.imports.findOne({ _id: new Types.ObjectId(importId), workspaceId: new Types.ObjectId(workspaceId), actorId }).lean<ImportDoc>();
    if (!found) return { ok: false, code: 'not-found' };
    if (found.status !== 'previewed' || found.csv === undefined) return { ok: false, code: found.status === 'applying' ? 'applying' : 'applied', ...(found.finishedAt ? { finishedAt: found.finishedAt } : {}) };
    return { ok: true, csv: found.csv, fileName: found.fileName };
  }

  /**
   * Applies a preview once: the claim (previewed -> applying) is one conditional write, so a double
   * click or a second replica finds it taken. The file is dropped afterwards, applied or not: an
   * import cut short is finished by importing the same file again.
   */
  async apply(workspaceId: string, actorId: string, importId: string, rows: readonly ImportRow[]): Promise<ImportOutcome | { code: 'taken' }> {
    const claimed = await this.imports.findOneAndUpdate(
      { _id: new Types.ObjectId(importId), workspaceId: new Types.ObjectId(workspaceId), actorId, status: 'previewed' },
      { $set: { status: 'applying' } },
    );
    if (!claimed) return { code: 'taken' };
    let outcome: ImportOutcome | undefined;
    try {
      outcome = await this.importer.apply(workspaceId, rows, actorId);
      return outcome;
    } finally {
      await this.imports.updateOne(
        { _id: claimed._id },
        {
          $set: {
            status: 'applied',
            finishedAt: this.clock(),
            ...(outcome
              ? { summary: { created: outcome.created.length, updated: outcome.updated.length, unchanged: outcome.unchanged.length, refused: outcome.refused.length, failed: Boolean(outcome.failure) } }
              : { summary: { failed: true } }),
          },
          $unset: { csv: 1 },
        },
      );
    }
  }
}

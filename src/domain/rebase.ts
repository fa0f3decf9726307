import type { Types } from 'mongoose';
import { rebaseDay } from '../core/calendar';

/**
 * The writes that keep calendar days stored as instants on their days after a timezone change,
 * for one collection: each document's listed fields moved by `rebaseDay`, each write conditional
 * on the values read (a concurrent edit wins). Used by each owning service on its own collection.
 */
export function rebaseWrites(
  docs: ReadonlyArray<{ _id: Types.ObjectId } & Record<string, unknown>>,
  fields: ReadonlyArray<{ name: string; time: '00:00' | '12:00' | 'end' }>,
  scope: { workspaceId: Types.ObjectId; from: string; to: string },
) {
  return docs.flatMap((doc) => {
    const $set: Record<string, Date> = {};
    const seen: Record<string, Date> = {};
    for (const { name, time } of fields) {
      const value = doc[name];
      if (!(value instanceof Date)) continue;
      const moved = rebaseDay(value, scope.from, scope.to, time);
      if (moved) {
        $set[name] = moved;
        seen[name] = value;
      }
    }
    if (Object.keys($set).length === 0) return [];
    return [{ updateOne: { filter: { _id: doc._id, workspaceId: scope.workspaceId, ...seen }, update: { $set } } }];
  });
}

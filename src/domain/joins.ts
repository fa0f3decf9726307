import type { PipelineStage } from 'mongoose';

/**
 * A `$lookup` from `from` into the field `as`, keeping only documents of the joining document's
 * workspace. The join itself matches an id alone (so an index leading with `foreignField` serves
 * it); every query here is scoped to one workspace, so a joined document of another workspace (a
 * bad import, a hand-made fix) is dropped rather than shown.
 */
export function lookupInWorkspace(
  from: string,
  localField: string,
  foreignField: string,
  as: string,
  /** Only these fields of each joined document reach the app (the server trims them: less to send and decode). */
  fields?: readonly string[],
): PipelineStage.FacetPipelineStage[] {
  const kept = { $filter: { input: `$${as}`, as: 'joined', cond: { $eq: ['$$joined.workspaceId', '$workspaceId'] } } };
  if (fields) {
    const trimmed = { $map: { input: kept, as: 'kept', in: Object.fromEntries(fields.map((field) => [field, `$$kept.${field}`])) } };
    return [{ $lookup: { from, localField, foreignField, as } }, { $addFields: { [as]: trimmed } }];
  }
  return [
    { $lookup: { from, localField, foreignField, as } },
    { $addFields: { [as]: kept } },
    { $unset: NEVER_JOINED.map((field) => `${as}.${field}`) },
  ];
}

/**
 * Fields no joined document is read for, and the largest: a creator's search keys (dozens of
 * strings, only for the index) and a content item's metric history (grows with every update;
 * `metrics` holds the latest values). Dropped before they reach the app.
 */
const NEVER_JOINED = ['searchKeys', 'metricHistory'];

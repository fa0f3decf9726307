import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

/**
 * One lock per fire (`tick:2026-11-23T14:00:00.000Z`): whoever inserts it first runs that fire.
 * The TTL index cleans up on real MongoDB; the stand-in accepts it but never expires anything, so
 * the coordinator also treats an expired lock as free and sweeps old ones itself.
 */
const runLockSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
runLockSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const JOB_RUN_STATUSES = ['running', 'posted', 'empty', 'failed', 'superseded'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

/**
 * The ledger: one entry per job, workspace and period (`late-payments:<workspace>:2026-11-23`).
 * `posted` and `empty` are final; `failed` is retried from `retryAt`; `running` belongs to whoever
 * holds `claimToken` until `leaseUntil` (then a crashed run is taken over). `superseded` (final): a
 * later period of the job was claimed first in that workspace (see {@link jobRunMarkSchema}), so this
 * one never runs.
 */
const jobRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    job: { type: String, required: true },
    workspaceId: { type: Schema.Types.ObjectId, required: true },
    period: { type: String, required: true },
    status: { type: String, required: true, enum: JOB_RUN_STATUSES },
    claimToken: { type: String },
    owner: { type: String },
    leaseUntil: { type: Date },
    retryAt: { type: Date },
    attempts: { type: Number, required: true, default: 0 },
    lastError: { type: String },
    /** Each post that went out, with the platform's message id: never sent again on a retry. */
    posts: {
      type: [
        new Schema(
          { index: { type: Number, required: true }, key: String, channel: String, channelId: String, messageId: String, at: Date },
          { _id: false },
        ),
      ],
      default: [],
    },
    /**
     * Written (fenced by the claim) right before each post: an intent with no post record means a
     * post may have gone out unrecorded, and whoever runs it next looks for it in the channel first.
     */
    intents: {
      type: [new Schema({ index: { type: Number, required: true }, key: String, channelId: String, at: Date }, { _id: false })],
      default: [],
    },
    startedAt: { type: Date },
    finishedAt: { type: Date },
  },
  { versionKey: false },
);
jobRunSchema.index({ job: 1, workspaceId: 1, period: 1 }, { unique: true });

/**
 * The latest period each job has claimed in each workspace (`_id` `daily-digest:<workspace>`). A run
 * is claimed only for that period or a later one: a workspace whose timezone moves west reads an
 * earlier local day again, and that day (or the one already posted under today's date) is never
 * posted twice. Periods are `YYYY-MM-DD` or `YYYY-MM`, so text order is time order.
 */
const jobRunMarkSchema = new Schema(
  {
    _id: { type: String, required: true },
    period: { type: String, required: true },
  },
  { versionKey: false },
);

export type RunLockDoc = InferSchemaType<typeof runLockSchema>;
export type JobRunDoc = InferSchemaType<typeof jobRunSchema> & { _id: string; workspaceId: Types.ObjectId };

const buildLocks = (conn: Connection) => conn.model('RunLock', runLockSchema, 'run_locks');
const buildRuns = (conn: Connection) => conn.model('JobRun', jobRunSchema, 'job_runs');
const buildMarks = (conn: Connection) => conn.model('JobRunMark', jobRunMarkSchema, 'job_run_marks');
export type RunLockModel = ReturnType<typeof buildLocks>;
export type JobRunModel = ReturnType<typeof buildRuns>;
export type JobRunMarkModel = ReturnType<typeof buildMarks>;

/** The scheduler's own collections, next to (not inside) the domain's. */
export function createSchedulerModels(conn: Connection) {
  return {
    runLocks: (conn.models.RunLock as RunLockModel | undefined) ?? buildLocks(conn),
    jobRuns: (conn.models.JobRun as JobRunModel | undefined) ?? buildRuns(conn),
    jobRunMarks: (conn.models.JobRunMark as JobRunMarkModel | undefined) ?? buildMarks(conn),
  };
}

export type SchedulerModels = ReturnType<typeof createSchedulerModels>;

export async function syncSchedulerIndexes(models: SchedulerModels): Promise<void> {
  await models.runLocks.syncIndexes();
  await models.jobRuns.syncIndexes();
  await models.jobRunMarks.syncIndexes();
}

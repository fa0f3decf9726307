import { Schema, type Connection } from 'mongoose';

const isDuplicateKey = (error: unknown): boolean => (error as { code?: number } | null)?.code === 11000;

/**
 * One entry per form submission that ran (`slack:<view id>`, `discord:<interaction id>`) and per
 * Slack event handled (`slack-event:<event id>`): a form is stored once even when the platform or
 * the person sends it twice, and an event Slack delivers again (to any replica) is handled once.
 * Kept a day (TTL on real MongoDB; nothing is sent again after that), far longer than any retry.
 */
const submissionSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
submissionSchema.index({ at: 1 }, { expireAfterSeconds: 24 * 60 * 60 });

export class FormSubmissions {
  private readonly model;

  constructor(connection: Connection) {
    this.model = connection.models.FormSubmission ?? connection.model('FormSubmission', submissionSchema, 'form_submissions');
  }

  async syncIndexes(): Promise<void> {
    await this.model.syncIndexes();
  }

  /** True for the first claim of `key`; false when it was already submitted. */
  async claim(key: string, at: Date): Promise<boolean> {
    try {
      await this.model.create({ _id: key, at });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** The submission did not go through (refused, or the database failed): it may be sent again. */
  async release(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }
}

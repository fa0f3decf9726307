import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { Schema, type Connection } from 'mongoose';
import { createTokenCipher, TokenKeyError, type TokenKeys } from './token-cipher';

/**
 * Slack installations (one per workspace, or per organisation for an Enterprise Grid org-wide
 * install) in MongoDB, for Bolt's OAuth installer: every replica answers every workspace with that
 * workspace's own token.
 *
 * The key is the workspace's external id as the rest of the bot knows it (slack-args.ts): the
 * enterprise id for an org-wide install, else the team id. Slack ids are unique across both kinds.
 */
const installationSchema = new Schema(
  {
    _id: { type: String, required: true },
    teamId: { type: String },
    enterpriseId: { type: String },
    isEnterpriseInstall: { type: Boolean, required: true },
    /**
     * What Bolt handed over (bot token, bot ids, scopes, installer, incoming webhook), as JSON
     * sealed under TOKEN_ENCRYPTION_KEY (token-cipher.ts): no token is ever stored in the clear.
     */
    sealed: { type: String },
    /** Versions before encryption kept it here in the clear; sealed on start or on first read, then removed (which is why no older replica may run beside this version). */
    installation: { type: Schema.Types.Mixed },
    installedAt: { type: Date, required: true },
  },
  { collection: 'slack_installations', minimize: false },
);
const build = (conn: Connection) => conn.model('SlackInstallation', installationSchema);
export type SlackInstallationModel = ReturnType<typeof build>;
export const slackInstallationModel = (conn: Connection): SlackInstallationModel =>
  (conn.models.SlackInstallation as SlackInstallationModel | undefined) ?? build(conn);

/** The store key for a Bolt query or installation. */
export function installationKey(query: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }): string {
  const key = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!key) throw new Error(`a Slack installation needs ${query.isEnterpriseInstall ? 'an enterprise' : 'a team'} id`);
  return key;
}

export interface SlackInstallations extends InstallationStore {
  /** The bot token of a workspace by its external id (scheduled posts have no incoming request to authorize). */
  botToken(workspaceExternalId: string): Promise<string | undefined>;
  /** Forgets a workspace's tokens (uninstalled, or its bot token revoked). */
  remove(workspaceExternalId: string): Promise<void>;
  /**
   * On start: seals what an older version stored in the clear and reseals under TOKEN_ENCRYPTION_KEY
   * what TOKEN_ENCRYPTION_KEY_PREVIOUS sealed (reads open either, and never reseal). Throws a TokenKeyError naming TOKEN_ENCRYPTION_KEY when an installation was sealed with
   * a key this process was not given (the start is refused: every such workspace would go unanswered);
   * a single damaged installation is only reported, as that workspace needs installing again.
   */
  sealStored(): Promise<{ sealed: number; resealed: number; damaged: string[] }>;
}

interface StoredInstallation {
  _id: string;
  sealed?: string | null;
  installation?: Installation | null;
}

/**
 * Every request Bolt authorizes reads its workspace's installation. While the database is
 * unreachable, the copy this process last read answers instead (`database.isUp()` false: at once;
 * a read that fails: after it), so the request is still acknowledged and the person is told the
 * database is unreachable, instead of Slack's "did not respond". Tokens change only on reinstall.
 */
export function createInstallationStore(conn: Connection, clock: () => Date, keys: TokenKeys, database?: { isUp(): boolean }): SlackInstallations {
  const model = slackInstallationModel(conn);
  const cipher = createTokenCipher(keys);
  const lastRead = new Map<string, Installation>();
  const seal = (key: string, installation: Installation) => cipher.seal(JSON.stringify(installation), key);

  /**
   * The installation of a stored document, opened with either key; seals a clear one. Only the start
   * (`reseal`) rewrites one sealed under TOKEN_ENCRYPTION_KEY_PREVIOUS under TOKEN_ENCRYPTION_KEY: a
   * read never does, so while replicas run with the two keys swapped (the first step of a rotation)
   * they do not seal back and forth what the others read (once: the filter holds the old state).
   */
  const open = async (doc: StoredInstallation, reseal: boolean): Promise<{ installation: Installation; migrated?: 'sealed' | 'resealed' }> => {
    if (doc.sealed) {
      const { plaintext, key } = cipher.open(doc.sealed, doc._id);
      const installation = JSON.parse(plaintext) as Installation;
      if (key === 'current' || !reseal) return { installation };
      await model.updateOne({ _id: doc._id, sealed: doc.sealed }, { $set: { sealed: seal(doc._id, installation) } });
      return { installation, migrated: 'resealed' };
    }
    if (!doc.installation) throw new TokenKeyError(`the Slack installation of ${doc._id} holds no installation: install the app in that workspace again`, 'damaged');
    const installation = doc.installation;
    await model.updateOne({ _id: doc._id, sealed: { $exists: false } }, { $set: { sealed: seal(doc._id, installation) }, $unset: { installation: 1 } });
    return { installation, migrated: 'sealed' };
  };

  const read = async (key: string): Promise<Installation | undefined> => {
    const copy = lastRead.get(key);
    if (copy && database && !database.isUp()) return copy;
    let found: StoredInstallation | null;
    try {
      found = await model.findById(key).lean<StoredInstallation>();
    } catch (error) {
      if (copy) return copy;
      throw error;
    }
    if (!found) {
      lastRead.delete(key);
      return undefined;
    }
    const { installation } = await open(found, false);
    lastRead.set(key, installation);
    return installation;
  };
  return {
    async storeInstallation(installation: Installation) {
      const isEnterpriseInstall = Boolean(installation.isEnterpriseInstall);
      const teamId = installation.team?.id;
      const enterpriseId = installation.enterprise?.id;
      const key = installationKey({ teamId, enterpriseId, isEnterpriseInstall });
      // Reinstalling (new scopes, another installer) replaces the tokens.
      await model.replaceOne(
        { _id: key },
        { _id: key, teamId, enterpriseId, isEnterpriseInstall, sealed: seal(key, installation), installedAt: clock() },
        { upsert: true },
      );
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const installation = await read(installationKey(query));
      if (!installation) throw new Error(`no Slack installation for ${installationKey(query)}`);
      return installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      lastRead.delete(installationKey(query));
      await model.deleteOne({ _id: installationKey(query) });
    },
    async remove(workspaceExternalId: string) {
      lastRead.delete(workspaceExternalId);
      await model.deleteOne({ _id: workspaceExternalId });
    },
    async botToken(workspaceExternalId: string) {
      return (await read(workspaceExternalId))?.bot?.token;
    },
    async sealStored() {
      const counts = { sealed: 0, resealed: 0, damaged: [] as string[] };
      const wrongKey: TokenKeyError[] = [];
      for await (const doc of model.find({}, { sealed: 1, installation: 1 }).sort({ _id: 1 }).lean<StoredInstallation[]>().cursor()) {
        try {
          const { migrated } = await open(doc as StoredInstallation, true);
          if (migrated) counts[migrated] += 1;
        } catch (error) {
          if (!(error instanceof TokenKeyError)) throw error;
          if (error.kind === 'wrong-key') wrongKey.push(error);
          else counts.damaged.push((doc as StoredInstallation)._id);
        }
      }
      if (wrongKey.length > 0) {
        throw new TokenKeyError(`${wrongKey[0]!.message}${wrongKey.length > 1 ? ` (${wrongKey.length} installations in all)` : ''}`, 'wrong-key');
      }
      return counts;
    },
  };
}

import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { Schema, type Connection } from 'mongoose';

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
    /** As Bolt handed it over: bot token, bot ids, scopes, installer, incoming webhook. */
    installation: { type: Schema.Types.Mixed, required: true },
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
}

/**
 * Every request Bolt authorizes reads its workspace's installation. While the database is
 * unreachable, the copy this process last read answers instead (`database.isUp()` false: at once;
 * a read that fails: after it), so the request is still acknowledged and the person is told the
 * database is unreachable, instead of Slack's "did not respond". Tokens change only on reinstall.
 */
export function createInstallationStore(conn: Connection, clock: () => Date, database?: { isUp(): boolean }): SlackInstallations {
  const model = slackInstallationModel(conn);
  const lastRead = new Map<string, Installation>();
  const read = async (key: string): Promise<Installation | undefined> => {
    const copy = lastRead.get(key);
    if (copy && database && !database.isUp()) return copy;
    let found;
    try {
      found = await model.findById(key).lean();
    } catch (error) {
      if (copy) return copy;
      throw error;
    }
    const installation = found?.installation as Installation | undefined;
    if (installation) lastRead.set(key, installation);
    else lastRead.delete(key);
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
        { _id: key, teamId, enterpriseId, isEnterpriseInstall, installation, installedAt: clock() },
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
  };
}

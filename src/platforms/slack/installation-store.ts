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

export function createInstallationStore(conn: Connection, clock: () => Date): SlackInstallations {
  const model = slackInstallationModel(conn);
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
      const found = await model.findById(installationKey(query)).lean();
      if (!found) throw new Error(`no Slack installation for ${installationKey(query)}`);
      return found.installation as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await model.deleteOne({ _id: installationKey(query) });
    },
    async remove(workspaceExternalId: string) {
      await model.deleteOne({ _id: workspaceExternalId });
    },
    async botToken(workspaceExternalId: string) {
      const found = await model.findById(workspaceExternalId).lean();
      return (found?.installation as Installation | undefined)?.bot?.token;
    },
  };
}

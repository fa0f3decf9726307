import type { webApi } from '@slack/bolt';
import { MAX_UPLOAD_BYTES, UserFacingError, type Attachment, type Upload } from '../../core';

/** A byte upload gives up after this, like every other Web API call. */
const UPLOAD_TIMEOUT_MS = 10_000;

/**
 * Shares files in a channel through Slack's external upload flow: `files.getUploadURLExternal` for
 * each file, the bytes POSTed to the URL it returns, then one `files.completeUploadExternal` that
 * shares them all in `channelId`. Nothing is shared unless every upload went through.
 */
export async function uploadFiles(client: webApi.WebClient, channelId: string, files: readonly Attachment[]): Promise<string[]> {
  const uploaded: Array<{ id: string; title: string }> = [];
  for (const file of files) {
    const ticket = await client.files.getUploadURLExternal({ filename: file.name, length: file.bytes.byteLength });
    if (!ticket.upload_url || !ticket.file_id) throw new Error('files.getUploadURLExternal returned no upload_url');
    const res = await fetch(ticket.upload_url, {
      method: 'POST',
      headers: { 'content-type': file.mimeType },
      body: Buffer.from(file.bytes),
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`file upload answered ${res.status}`);
    uploaded.push({ id: ticket.file_id, title: file.name });
  }
  const [first, ...rest] = uploaded;
  if (!first) return [];
  await client.files.completeUploadExternal({ files: [first, ...rest], channel_id: channelId });
  return uploaded.map((file) => file.id);
}

/** The bot's direct-message channel with a person (`conversations.open`). */
export async function directChannel(client: webApi.WebClient, userId: string): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const id = opened.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}

/**
 * A file someone picked in a modal's file input (`F…`): `files.info` names its private download
 * URL, which is read with the bot token (scope `files:read`).
 */
const PICK_IN_THE_FORM = 'file: on Slack, run `/irm import` with nothing after it: it opens a form where you pick the CSV file.';

/**
 * For slash commands and buttons: a file id typed as text could name any file the bot can see
 * (someone else's export in their DMs), so files are taken only from a modal's file input.
 */
export async function refuseTypedFile(): Promise<Upload> {
  throw new UserFacingError(PICK_IN_THE_FORM, { file: 'pick the file in the form' });
}

/** For a modal's file input: the file id Slack put in the view state. */
export async function downloadFile(client: webApi.WebClient, raw: unknown): Promise<Upload> {
  const id = typeof raw === 'string' ? raw.trim() : '';
  if (!/^F[A-Z0-9]{6,}$/.test(id)) return refuseTypedFile();
  const { file } = await client.files.info({ file: id });
  if (!file?.url_private_download || !file.name) throw new UserFacingError('file: Slack did not hand over that file. Pick it again.', { file: 'not available' });
  if ((file.size ?? 0) > MAX_UPLOAD_BYTES) {
    throw new UserFacingError(`file: ${file.name} is ${((file.size ?? 0) / 1048576).toFixed(1)} MB; at most ${MAX_UPLOAD_BYTES / 1048576} MB can be imported at once.`, { file: 'too large' });
  }
  const res = await fetch(file.url_private_download, { headers: { authorization: `Bearer ${client.token ?? ''}` }, signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS) });
  if (!res.ok) throw new UserFacingError(`file: ${file.name} could not be downloaded from Slack (HTTP ${res.status}). Pick it again.`, { file: 'download failed' });
  return { name: file.name, bytes: new Uint8Array(await res.arrayBuffer()) };
}

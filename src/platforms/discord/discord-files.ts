import { para, type Attachment, type Reply } from '../../core';

/** Discord's upload limit per file when an interaction does not say (a server without boosts). */
export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;

/** A size as people read it: `17.2 MB`, `640 KB` (1 MB = 1,048,576 bytes, as Discord counts). */
export function sizeText(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * A CSV file cut at record boundaries (a newline outside quotes) into parts of at most `limit`
 * bytes, each starting with the file's header row (and its byte-order mark), so each part opens,
 * and imports, on its own. Undefined when one record with the header does not fit.
 */
export function splitCsv(file: Attachment, limit: number): Attachment[] | undefined {
  const bytes = file.bytes;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const ends: number[] = [];
  let quoted = false;
  for (let i = bom; i < bytes.length; i += 1) {
    if (bytes[i] === 0x22) quoted = !quoted;
    else if (bytes[i] === 0x0a && !quoted) ends.push(i + 1);
  }
  if (ends.at(-1) !== bytes.length) ends.push(bytes.length);
  const header = bytes.subarray(0, ends[0]);
  const pieces: Array<[number, number]> = [];
  let from = ends[0]!;
  let to = from;
  for (const end of ends.slice(1)) {
    if (header.length + (end - from) > limit) {
      if (to === from) return undefined;
      pieces.push([from, to]);
      from = to;
      if (header.length + (end - from) > limit) return undefined;
    }
    to = end;
  }
  if (to > from || pieces.length === 0) pieces.push([from, to]);
  return pieces.map(([start, end], index) => {
    const part = new Uint8Array(header.length + end - start);
    part.set(header, 0);
    part.set(bytes.subarray(start, end), header.length);
    return { name: file.name.replace(/(\.csv)?$/i, `-part-${index + 1}-of-${pieces.length}$1`), mimeType: file.mimeType, bytes: part };
  });
}

/** Discord takes at most this many files in one message. */
export const MAX_FILES_PER_MESSAGE = 10;

/**
 * Room kept in each upload for the message itself (its JSON: a few KB of embeds and components) and
 * the multipart framing, since Discord's limit is on the whole request: 32 KB, or a tenth of a small limit.
 */
const PAYLOAD_ROOM = 32 * 1024;

/** What the files of one message may weigh in all under an upload limit of `limit` bytes. */
export const filesRoom = (limit: number): number => limit - Math.min(PAYLOAD_ROOM, Math.floor(limit / 10));

/**
 * A reply's files as Discord takes them under an upload limit of `limit` bytes per message (the
 * interaction says it, by the server's boosts; a post made without one uses Discord's floor). A CSV
 * file that does not fit comes in parts (the reply says so, naming the sizes); any other file that
 * does not fit is left out and the reply says why. The files then go in order, as many to a message
 * as fit (at most ten): `files` with the reply, each group of `more` in a message of its own.
 */
export function fitToLimit(answer: Reply, limit: number): { answer: Reply; files: Attachment[]; more: Attachment[][] } {
  const room = filesRoom(limit);
  const all = answer.files ?? [];
  if (all.length <= MAX_FILES_PER_MESSAGE && weight(all) <= room) return { answer, files: all, more: [] };
  const notes: string[] = [];
  const sendable: Attachment[] = [];
  for (const file of all) {
    if (file.bytes.byteLength <= room) {
      sendable.push(file);
      continue;
    }
    const parts = file.mimeType === 'text/csv' ? splitCsv(file, room) : undefined;
    const over = `*${file.name}* is ${sizeText(file.bytes.byteLength)}; Discord accepts ${sizeText(limit)} per message in this server, the message itself included`;
    if (parts) {
      sendable.push(...parts);
      notes.push(`${over}: it comes in ${parts.length} parts, each starting with the header row.`);
    } else {
      notes.push(`${over}, so it is not attached. A server with more boosts accepts larger files.`);
    }
  }
  const groups: Attachment[][] = [];
  for (const file of sendable) {
    const last = groups.at(-1);
    if (last && last.length < MAX_FILES_PER_MESSAGE && weight(last) + file.bytes.byteLength <= room) last.push(file);
    else groups.push([file]);
  }
  const { files: _files, ...rest } = answer;
  return { answer: { ...rest, blocks: [...answer.blocks, ...notes.map((note) => para(note))] }, files: groups[0] ?? [], more: groups.slice(1) };
}

const weight = (files: readonly Attachment[]): number => files.reduce((sum, file) => sum + file.bytes.byteLength, 0);

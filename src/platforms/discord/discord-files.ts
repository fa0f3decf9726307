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

/**
 * A reply's files as Discord takes them from this interaction: each at most `limit` bytes. A CSV
 * file over it comes in parts (the reply says so, naming the sizes); any other file over it is left
 * out and the reply says why. `files` go with the reply, `more` one to a follow-up each (one file
 * per message keeps every request within the limit).
 */
export function fitToLimit(answer: Reply, limit: number): { answer: Reply; files: Attachment[]; more: Attachment[] } {
  if (!answer.files?.some((file) => file.bytes.byteLength > limit)) return { answer, files: answer.files ?? [], more: [] };
  const notes: string[] = [];
  const sendable: Attachment[] = [];
  for (const file of answer.files) {
    if (file.bytes.byteLength <= limit) {
      sendable.push(file);
      continue;
    }
    const parts = file.mimeType === 'text/csv' ? splitCsv(file, limit) : undefined;
    const over = `*${file.name}* is ${sizeText(file.bytes.byteLength)}, more than the ${sizeText(limit)} Discord accepts per file in this server`;
    if (parts) {
      sendable.push(...parts);
      notes.push(`${over}: it comes in ${parts.length} parts, each starting with the header row.`);
    } else {
      notes.push(`${over}, so it is not attached. A server with more boosts accepts larger files.`);
    }
  }
  const { files: _files, ...rest } = answer;
  return { answer: { ...rest, blocks: [...answer.blocks, ...notes.map((note) => para(note))] }, files: sendable.slice(0, 1), more: sendable.slice(1) };
}

/**
 * Text arguments as typed on Slack and the console: positional words, then `key:value` pairs,
 * with "double" or “curly” quotes around anything that contains spaces.
 * `add "Zoë Tran" @zoe network:instagram notes:"likes oat milk"` ->
 * words ['add', 'Zoë Tran', '@zoe'], named { network: 'instagram', notes: 'likes oat milk' }.
 */
export interface TextArgs {
  words: string[];
  named: Record<string, string>;
}

/** One typed token, in order: `key:value` has a key; `raw` is the token as typed (quotes removed), `typed` with its quotes. */
export interface TextToken {
  key?: string;
  value: string;
  raw: string;
  typed: string;
}

const TOKEN = /(?:([a-z][a-z0-9_-]*):)?(?:"([^"]*)"|“([^”]*)”|'([^']*)'|(\S*))/giy;

export function parseTextArgs(input: string): TextArgs {
  const words: string[] = [];
  const named: Record<string, string> = {};
  for (const token of tokenizeTextArgs(input)) {
    if (token.key) named[token.key] = token.value;
    else words.push(token.raw);
  }
  return { words, named };
}

export function tokenizeTextArgs(input: string): TextToken[] {
  const tokens: TextToken[] = [];
  const text = input.trim();
  let index = 0;
  while (index < text.length) {
    if (/\s/.test(text[index]!)) {
      index += 1;
      continue;
    }
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(text);
    if (!match) break;
    index = TOKEN.lastIndex;
    const [, key, dq, cq, sq, bare] = match;
    const value = dq ?? cq ?? sq ?? bare ?? '';
    const raw = match[0].replace(/^["“']|["”']$/g, '');
    // URLs (`https://...`) and Slack mentions are values, not keys.
    const typed = match[0];
    if (key && !(bare?.startsWith('//') ?? false)) tokens.push({ key: key.toLowerCase(), value, raw, typed });
    else tokens.push({ value: raw, raw, typed });
  }
  return tokens;
}

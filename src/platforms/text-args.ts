/**
 * Text arguments as typed on Slack and the console: positional words, then `key:value` pairs,
 * with "double", “curly” or 'single' quotes around anything that contains spaces.
 * `add "Zoë Tran" @zoe network:instagram notes:"likes oat milk"` ->
 * words ['add', 'Zoë Tran', '@zoe'], named { network: 'instagram', notes: 'likes oat milk' }.
 * An apostrophe inside or after a word (we're, Zoë's, O'Brien, 'cause) never opens or closes a quote:
 * a single quote closes only where a word ends after it.
 */
export interface TextArgs {
  words: string[];
  named: Record<string, string>;
}

/**
 * One typed token, in order: `key:value` has a key; `raw` is the word (a quoted word without its
 * quotes), `typed` the token as typed. `start`/`end`: where it sits in the line given.
 */
export interface TextToken {
  key?: string;
  value: string;
  raw: string;
  typed: string;
  start: number;
  end: number;
}

const TOKEN = /(?:([a-z][a-z0-9_-]*):)?(?:"([^"]*)"|“([^”]*)”|'((?:[^']|'(?=[\p{L}\p{N}]))*)'(?![\p{L}\p{N}])|(\S*))/giuy;

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
  let index = 0;
  while (index < input.length) {
    if (/\s/.test(input[index]!)) {
      index += 1;
      continue;
    }
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(input);
    if (!match) break;
    const start = index;
    index = TOKEN.lastIndex;
    const [typed, key, dq, cq, sq, bare] = match;
    const quoted = dq ?? cq ?? sq;
    const value = quoted ?? bare ?? '';
    // URLs (`https://...`) and Slack mentions are values, not keys.
    if (key && !(bare?.startsWith('//') ?? false)) tokens.push({ key: key.toLowerCase(), value, raw: typed, typed, start, end: index });
    else tokens.push({ value: quoted ?? typed, raw: quoted ?? typed, typed, start, end: index });
  }
  return tokens;
}

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Slack installations hold bearer credentials (bot tokens, refresh tokens, incoming-webhook URLs).
 * They are sealed at rest with AES-256-GCM under TOKEN_ENCRYPTION_KEY: a fresh 12-byte IV per
 * write, the auth tag checked on every read, and the document's key (the workspace id) as
 * associated data, so a sealed value copied onto another workspace's document does not open.
 *
 * Sealed form: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id is a short hash
 * of the key, so a value sealed under another key is told apart from a tampered one, and a key
 * being rotated in or out (TOKEN_ENCRYPTION_KEY_PREVIOUS) opens what it sealed.
 */

export interface TokenKeys {
  current: Buffer;
  /** Rotation: the other key a value may be sealed with; opened like `current`, resealed under `current` only on start. */
  previous?: Buffer;
}

/**
 * A sealed value this process cannot open. `wrong-key`: sealed under a key it was not given (its
 * words name the variable to fix); `damaged`: altered, moved or unreadable (that workspace installs again).
 */
export class TokenKeyError extends Error {
  constructor(
    message: string,
    readonly kind: 'wrong-key' | 'damaged',
  ) {
    super(message);
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Not secret: tells which key sealed a value. */
export const keyId = (key: Buffer): string => createHash('sha256').update('irm token key\0').update(key).digest('base64url').slice(0, 10);

export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(`${VERSION}.`);

export interface TokenCipher {
  seal(plaintext: string, context: string): string;
  /** `key` says which key opened it: `previous` means it is due to be resealed. */
  open(sealed: string, context: string): { plaintext: string; key: 'current' | 'previous' };
}

export function createTokenCipher(keys: TokenKeys): TokenCipher {
  for (const key of [keys.current, keys.previous]) {
    if (key && key.length !== 32) throw new TokenKeyError('TOKEN_ENCRYPTION_KEY: must be 32 bytes', 'wrong-key');
  }
  const current = { id: keyId(keys.current), key: keys.current };
  const previous = keys.previous ? { id: keyId(keys.previous), key: keys.previous } : undefined;
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== VERSION) {
        throw new TokenKeyError(`the Slack installation of ${context} is not a value this version seals (expected ${VERSION}.<key id>.<iv>.<tag>.<data>)`, 'damaged');
      }
      const [, id, iv, tag, data] = parts as [string, string, string, string, string];
      const which = id === current.id ? 'current' : id === previous?.id ? 'previous' : undefined;
      if (!which) {
        throw new TokenKeyError(
          `TOKEN_ENCRYPTION_KEY: the Slack installation of ${context} was encrypted with another key (key id ${id}; TOKEN_ENCRYPTION_KEY is ${current.id}` +
            `${previous ? `, TOKEN_ENCRYPTION_KEY_PREVIOUS is ${previous.id}` : ''}). Set TOKEN_ENCRYPTION_KEY to the key it was stored with, ` +
            'or, to rotate keys, the new key in TOKEN_ENCRYPTION_KEY and the old one in TOKEN_ENCRYPTION_KEY_PREVIOUS.',
          'wrong-key',
        );
      }
      const decipher = createDecipheriv('aes-256-gcm', which === 'current' ? current.key : previous!.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        const plaintext = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
        return { plaintext, key: which };
      } catch {
        throw new TokenKeyError(
          `the Slack installation of ${context} fails its integrity check under the key that sealed it (key id ${id}): it was altered in the database or copied from another workspace. Install the app in that workspace again.`,
          'damaged',
        );
      }
    },
  };
}

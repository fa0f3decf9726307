import type { LoggerOptions } from 'pino';

/**
 * What never reaches a log line, at any depth, errors included: Slack tokens, Discord bot and
 * interaction tokens, webhook and response URLs (they are credentials), message bodies (they carry
 * what people typed and the cards' personal data) and personal data fields.
 */

/** Keys whose values are dropped wherever they appear. */
const SECRET_KEYS = /^(token|authorization|cookie|password|secret|signingsecret|apptoken|bottoken|client_secret|x-slack-signature)$/i;
/** Message bodies and personal data: what people typed, what a card shows. */
const BODY_KEYS =
  /^(body|requestbody|rawbody|data|text|blocks|content|embeds|components|attachments|files|view|private_metadata|state|values|payload|json|email|phone|address|birthday|preferences|notes|summary|headers|config|request|response)$/i;

const TEXT_RULES: Array<[RegExp, string]> = [
  // Slack tokens: bot, user, app-level, refresh, config.
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  // Discord interaction callbacks and webhooks carry the interaction (or webhook) token in the path.
  [/(\/interactions\/\d+\/)[^/?\s"']+/g, '$1[redacted]'],
  [/(\/webhooks\/\d+\/)[^/?\s"']+/g, '$1[redacted]'],
  // Slack response_url and incoming webhooks are credentials of their own.
  [/https:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"']+/g, 'https://hooks.slack.com/[redacted]'],
  // A Discord bot token: three dot-separated base64url parts.
  [/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}\b/g, '[redacted token]'],
  [/\b(Bot|Bearer)\s+[A-Za-z0-9._~+/-]+=*/g, '$1 [redacted]'],
  // Email addresses anywhere in a message.
  [/[\w.+-]+@[\w-]+\.[\w.-]+/g, '[redacted email]'],
];

export function redactText(value: string): string {
  return TEXT_RULES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value);
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` fit for a log line. Errors become `{ type, message, stack, code, status,
 * method, url, cause }` with their text scrubbed; their request and response bodies are dropped.
 */
export function redactForLog(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > MAX_DEPTH) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; status?: unknown; method?: unknown; url?: unknown; data?: { error?: unknown }; cause?: unknown };
    return {
      type: e.name,
      message: redactText(e.message),
      ...(e.stack ? { stack: redactText(e.stack) } : {}),
      ...(e.code !== undefined ? { code: redactForLog(e.code, depth + 1, seen) } : {}),
      ...(e.status !== undefined ? { status: e.status } : {}),
      ...(typeof e.method === 'string' ? { method: e.method } : {}),
      ...(typeof e.url === 'string' ? { url: redactText(e.url) } : {}),
      // A Slack API error's code (`channel_not_found`) says what went wrong; the rest of its data is the response body.
      ...(e.data && typeof e.data.error === 'string' ? { slackError: e.data.error } : {}),
      ...(e.cause !== undefined ? { cause: redactForLog(e.cause, depth + 1, seen) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEYS.test(key) || BODY_KEYS.test(key)) out[key] = '[redacted]';
    else out[key] = redactForLog(item, depth + 1, seen);
  }
  return out;
}

/** The pino options every logger of the bot uses: each line's object goes through {@link redactForLog}, and so does its message. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    formatters: { log: (object) => redactForLog(object) as Record<string, unknown> },
    // Errors are already turned into plain, scrubbed objects above; pino's own serializer would rename them.
    serializers: { err: (err: unknown) => err },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
}

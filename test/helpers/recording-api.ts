import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the code under test sent to the outside world (Slack Web API, response_url, Discord REST). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** JSON bodies parsed; form-encoded bodies as an object of strings (JSON-looking values parsed). */
  body: any;
  raw: string;
  /** The body exactly as received (file uploads, multipart). */
  bytes: Buffer;
}

/** `text`: answer with these bytes as they are (a file download), instead of `body` as JSON. */
export type Responder = (req: RecordedRequest) => { status?: number; body?: unknown; text?: string; headers?: Record<string, string> } | undefined;

/**
 * A local HTTP server standing in for Slack's and Discord's APIs: it records every request and
 * answers with the first responder that returns something (default: 200 `{"ok":true}`).
 */
export async function startRecordingApi() {
  const requests: RecordedRequest[] = [];
  const responders: Responder[] = [];
  const waiters: Array<{ match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }> = [];

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const raw = bytes.toString('utf8');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: parseBody(raw, req.headers['content-type']), raw, bytes };
      requests.push(recorded);
      const answer = responders.map((r) => r(recorded)).find(Boolean) ?? {};
      res.writeHead(answer.status ?? 200, { 'content-type': answer.text !== undefined ? 'application/octet-stream' : 'application/json', ...answer.headers });
      res.end(answer.status === 204 ? undefined : (answer.text ?? JSON.stringify(answer.body ?? { ok: true })));
      for (const waiter of [...waiters]) {
        if (waiter.match(recorded)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(recorded);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Answer matching requests differently (checked newest first). */
    respond(responder: Responder) {
      responders.unshift(responder);
    },
    /** Resolves with the first request (already received or future) whose path includes `path` and that matches. */
    waitFor(path: string, match: (r: RecordedRequest) => boolean = () => true, timeoutMs = 5000): Promise<RecordedRequest> {
      const test = (r: RecordedRequest) => r.path.includes(path) && match(r);
      const seen = requests.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no request to ${path} within ${timeoutMs} ms; saw: ${requests.map((r) => r.path).join(', ')}`)), timeoutMs);
        waiters.push({ match: test, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    to(path: string): RecordedRequest[] {
      return requests.filter((r) => r.path.includes(path));
    },
    reset() {
      requests.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type RecordingApi = Awaited<ReturnType<typeof startRecordingApi>>;

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/json')) return JSON.parse(raw);
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      out[key] = /^[[{]/.test(value) ? safeJson(value) : value;
    }
    return out;
  }
  return raw;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

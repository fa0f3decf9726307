import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy between the app and the database, so a test can cut the database off and bring it
 * back: `cut()` resets every open connection and refuses new ones (as a dropped network does),
 * `restore()` lets connections through again.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let open = true;
  /** Cut everything the moment the app sends bytes matching this (a write caught mid-flight). */
  let cutWhen: ((chunk: Buffer) => boolean) | undefined;
  const server: Server = createServer((client) => {
    if (!open) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.on('error', () => b.destroy());
    }
    client.on('data', (chunk: Buffer) => {
      if (cutWhen?.(chunk)) {
        cutWhen = undefined;
        cut();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const cut = () => {
    open = false;
    for (const socket of sockets) socket.resetAndDestroy();
  };
  return {
    port,
    /** `mongodb://127.0.0.1:<proxy port>/` with the original URI's path and options. */
    uri(original: string) {
      return original.replace(/^mongodb:\/\/[^/]+/, `mongodb://127.0.0.1:${port}`);
    },
    cut,
    /** Cuts, without forwarding it, as soon as the app sends a packet containing `marker` (or one `marker` says yes to). */
    cutOnWrite(marker: string | ((chunk: Buffer) => boolean)) {
      cutWhen = typeof marker === 'string' ? (chunk) => chunk.includes(marker) : marker;
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        open = false;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export type TcpProxy = Awaited<ReturnType<typeof startTcpProxy>>;

/** `mongodb://host:port/...` -> `{ host, port }` of the first host. */
export function hostOf(uri: string): { host: string; port: number } {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^:/,]+)(?::(\d+))?/.exec(uri);
  if (!match) throw new Error(`not a mongodb:// URI: ${uri}`);
  return { host: match[1]!, port: Number(match[2] ?? 27017) };
}

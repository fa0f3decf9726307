import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from 'discord.js';

/**
 * Where the bench's load worker delivers Discord interactions: an HTTP endpoint on the app's
 * thread that answers at once and hands each raw INTERACTION_CREATE payload to the real
 * discord.js client exactly where its gateway handler would (as test/helpers does). The reply is
 * the adapter's interaction callback reaching the recording API. The hop stands in for the
 * gateway's WebSocket frame.
 */
export interface DiscordGateway {
  url: string;
  stop(): Promise<void>;
}

export async function startDiscordGateway(client: Client): Promise<DiscordGateway> {
  const handle = (client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } }).actions.InteractionCreate;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200).end();
      handle.handle(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/interactions`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

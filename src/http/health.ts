import { createServer, type Server } from 'node:http';
import type { Connection } from 'mongoose';
import { pingDatabase } from '../db/connection';

export type HealthCheck = () => Promise<{ status: number; body: unknown }>;

/** 200 `{"database":"up"}` when the database answers a ping, 503 otherwise. */
export const databaseHealth =
  (connection: Connection): HealthCheck =>
  async () =>
    (await pingDatabase(connection)) ? { status: 200, body: { database: 'up' } } : { status: 503, body: { database: 'down' } };

/** `GET /healthz` when no Slack HTTP receiver already serves it on PORT. */
export async function startHealthServer(port: number, health: HealthCheck): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') {
      void health().then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, resolve));
  return server;
}

import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection';
import { databaseHealth, startHealthServer } from '../../src/http/health';

const servers: Array<import('node:http').Server> = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

async function serve(check: ReturnType<typeof databaseHealth>) {
  const server = await startHealthServer(0, check);
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('GET /healthz', () => {
  it('GIVEN the database answers THEN 200 {"database":"up"}', async () => {
    const connection = await connectDatabase(inject('mongoUri'), 'health_up');
    const url = await serve(databaseHealth(connection));
    const res = await fetch(`${url}/healthz`);
    expect([res.status, await res.json()]).toEqual([200, { database: 'up' }]);
    expect((await fetch(`${url}/other`)).status).toBe(404);
    await connection.close();
  });

  it('GIVEN the database connection is gone THEN 503 {"database":"down"}', async () => {
    const connection = await connectDatabase(inject('mongoUri'), 'health_down');
    await connection.close();
    const url = await serve(databaseHealth(connection));
    const res = await fetch(`${url}/healthz`);
    expect([res.status, await res.json()]).toEqual([503, { database: 'down' }]);
  });
});

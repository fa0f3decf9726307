import type { Connection } from 'mongoose';
import { buildApp } from './app';
import { runConsole } from './console';

/**
 * The world of the per-deliverable payment tests: a workspace in UTC on Monday 2026-11-23 whose
 * payment manager is `fin`, with Zoë Tran and her collaboration "Per piece" (3 posts, €500 each,
 * paid net 30 after each piece is published).
 */
export async function buildPerPieceApp(connection: Connection) {
  const app = await buildApp(connection, { now: '2026-11-23T10:00:00Z', timezone: 'UTC' });
  await runConsole(
    app.router,
    [
      'irm settings managers:fin',
      'influencer add "Zoë Tran" @zoe.creates network:instagram stage:negotiating',
      'collab new @zoe.creates "Per piece" type:review goal:awareness expect:"post 3" fee:500 currency:EUR schedule:per-deliverable net:30',
    ],
    'fin',
  );
  return app;
}

import type { TestProject } from 'vitest/node';
import { startLocalDatabase } from '../../src/db/local-database';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Server for the whole run; test files reach it through useTestDatabase(). */
    mongoUri: string;
  }
}

/** Uses MONGODB_URI when set, otherwise starts the local database chain (in memory) once per run. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const fromEnvironment = process.env.MONGODB_URI;
  if (fromEnvironment) {
    project.provide('mongoUri', fromEnvironment);
    return undefined;
  }
  const database = await startLocalDatabase({
    logger: { info: (message) => console.info(`[test db] ${message}`), warn: (message) => console.warn(`[test db] ${message}`) },
  });
  project.provide('mongoUri', database.uri);
  return () => database.stop();
}

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DryMongoBinary, MongoMemoryServer } from 'mongodb-memory-server-core';
import { envToBool, resolveConfig, ResolveConfigVariables } from 'mongodb-memory-server-core/lib/util/resolveConfig.js';

/**
 * The embedded database used when MONGODB_URI is not set (DESIGN.md, "Databases in development,
 * tests and CI"): a real mongod through mongodb-memory-server when one is cached or can be
 * downloaded, otherwise the mongo-java-server stand-in in src/db/stand-in.
 */

export type LocalDatabaseKind = 'mongodb-memory-server' | 'stand-in';

export interface LocalDatabase {
  uri: string;
  kind: LocalDatabaseKind;
  /** The stand-in's process id (the bench reads its CPU time); unset for a mongod. */
  pid?: number;
  /** Stops the server and waits until it has exited; safe to call more than once. */
  stop(): Promise<void>;
}

/** The subset of a pino (or console-like) logger this module uses. */
export interface LocalDatabaseLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface LocalDatabaseOptions {
  /** Keep the data in this directory across restarts; without it everything lives in memory. */
  dataDir?: string;
  logger?: LocalDatabaseLogger;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const standInSource = path.join(repoRoot, 'src', 'db', 'stand-in');
const standInHome = path.join(repoRoot, '.stand-in');

const silentLogger: LocalDatabaseLogger = { info: () => {}, warn: () => {} };

export async function startLocalDatabase(options: LocalDatabaseOptions = {}): Promise<LocalDatabase> {
  const logger = options.logger ?? silentLogger;
  const where = options.dataDir ? `data in ${options.dataDir}` : 'in memory';
  const database = (await tryMongoMemoryServer(options.dataDir, logger)) ?? (await startStandIn(options.dataDir, logger));
  logger.info(`Local database: ${database.kind} at ${database.uri} (${where})`);
  return database;
}

async function tryMongoMemoryServer(dataDir: string | undefined, logger: LocalDatabaseLogger): Promise<LocalDatabase | undefined> {
  const binary = await DryMongoBinary.locateBinary(await DryMongoBinary.generateOptions());
  if (!binary && !(await mongodDownloadReachable())) {
    logger.info('No cached mongod and its download site is unreachable: using the MongoDB stand-in');
    return undefined;
  }
  try {
    const dbPath = dataDir && path.join(dataDir, 'mongod');
    if (dbPath) await mkdir(dbPath, { recursive: true });
    // A dbPath we pass is never deleted by stop(), so the data survives restarts.
    const server = await MongoMemoryServer.create(dbPath ? { instance: { dbPath, storageEngine: 'wiredTiger' } } : {});
    return {
      uri: server.getUri(),
      kind: 'mongodb-memory-server',
      stop: once(async () => {
        await server.stop();
      }),
    };
  } catch (error) {
    logger.warn(`mongodb-memory-server did not start (${errorMessage(error)}): using the MongoDB stand-in`);
    return undefined;
  }
}

/**
 * A failing download costs several seconds of retries, so first ask the mirror for any HTTP
 * answer at all. (Node's fetch ignores proxy settings: behind a proxy this says no, and the
 * stand-in is used; a mongod put in the cache by hand is still found above.)
 */
async function mongodDownloadReachable(): Promise<boolean> {
  if (!envToBool(resolveConfig(ResolveConfigVariables.RUNTIME_DOWNLOAD))) return false;
  const url =
    resolveConfig(ResolveConfigVariables.DOWNLOAD_URL) ??
    resolveConfig(ResolveConfigVariables.DOWNLOAD_MIRROR) ??
    'https://fastdl.mongodb.org';
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}

async function startStandIn(dataDir: string | undefined, logger: LocalDatabaseLogger): Promise<LocalDatabase> {
  await ensureStandInInstalled(logger);

  const classPath = [path.join(standInHome, 'classes'), path.join(standInHome, 'lib', '*')].join(path.delimiter);
  const args = ['-cp', classPath, 'MongoStandIn', '--port', '0'];
  if (dataDir) args.push('--file', path.join(dataDir, 'stand-in.h2'));

  // stdin stays an open pipe we never write to: the stand-in exits when it closes, i.e. when we die.
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });

  const uri = await readStandInUri(child, () => stderrTail).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) logger.warn(`MongoDB stand-in exited unexpectedly (code ${code}, signal ${signal}): ${stderrTail.trim()}`);
  });

  return {
    uri,
    kind: 'stand-in',
    ...(child.pid ? { pid: child.pid } : {}),
    stop: once(async () => {
      stopping = true;
      await stopChild(child);
    }),
  };
}

function readStandInUri(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error('MongoDB stand-in did not start within 30 s')), 30_000);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    child.once('error', (error) =>
      fail(new Error(`Could not run 'java' for the MongoDB stand-in (Java 17+ must be on PATH, or set MONGODB_URI): ${error.message}`)),
    );
    child.once('exit', (code) => fail(new Error(`MongoDB stand-in exited with code ${code}: ${stderr().trim()}`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (settled) return;
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      const firstLine = stdout.slice(0, newline).trim();
      const match = /^MONGODB_URI=(\S+)$/.exec(firstLine);
      if (!match?.[1]) return fail(new Error(`Unexpected first line from the MongoDB stand-in: ${firstLine}`));
      settled = true;
      clearTimeout(timer);
      resolve(match[1]);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killTimer);
}

/** Runs install.sh when .stand-in/stamp does not match the stamp it would write (same hash). */
async function ensureStandInInstalled(logger: LocalDatabaseLogger): Promise<void> {
  const sources = await Promise.all(
    ['pom.xml', 'MongoStandIn.java'].map((file) => readFile(path.join(standInSource, file))),
  );
  const expected = createHash('sha256').update(Buffer.concat(sources)).digest('hex');
  const installed = await readFile(path.join(standInHome, 'stamp'), 'utf8').catch(() => '');
  if (installed.trim() === expected) return;

  logger.info('Installing the MongoDB stand-in (jars from Maven Central into .stand-in/, once)');
  try {
    await promisify(execFile)('bash', [path.join(standInSource, 'install.sh')], { maxBuffer: 10_000_000 });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`Installing the MongoDB stand-in failed: ${errorMessage(error)}\n${output.stdout ?? ''}${output.stderr ?? ''}`);
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

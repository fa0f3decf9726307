import { parseArgs } from 'node:util';
import { ConfigError, loadEnv } from '../src/config/env';
import { DEFAULTS, QUICK, formatReport, runBench, type BenchOptions } from './run-bench';

/**
 * `npm run bench [-- --n 5000 --c 16 --duration 8 --quick]`: acknowledgement and reply latency,
 * throughput against Bolt's own floors, database round trips per command, and every scheduled job
 * at N and 10 x N. Uses MONGODB_URI when set (in a database of its own, dropped at the end), else
 * the local database in memory. Progress goes to stderr; the report to stdout.
 */

const USAGE = `Usage: npm run bench -- [--n CREATORS] [--c CONCURRENCY] [--duration SECONDS] [--grow FACTOR] [--quick] [--only TEXT] [--skip jobs,import] [--cpu-prof DIR] [--trace]
  --n         creators in the seeded workspace (default ${DEFAULTS.n}); jobs also run at --grow x N
  --grow      how many times N the workspace grows to for the second job runs (default ${DEFAULTS.growFactor})
  --c         requests in flight at once (default ${DEFAULTS.concurrency})
  --duration  seconds per command and per floor (default ${DEFAULTS.durationMs / 1000})
  --quick     a fast smoke run (N=${QUICK.n}, C=${QUICK.concurrency}, ${QUICK.durationMs / 1000} s); --n/--c/--duration still apply
  --import    rows of the creators file /irm import reads (default ${DEFAULTS.importRows}; quick ${QUICK.importRows})
  --ticks     workspaces of the scheduler-tick row (default ${DEFAULTS.tickWorkspaces}; quick ${QUICK.tickWorkspaces})
  --only      only the commands whose label contains this text, or one of several separated by commas
              (e.g. "show" or "find,list active,autocomplete,App Home,scheduler tick"); floors and jobs always run
  --skip      leave out "jobs" (and the growth they run at) and/or "import"
  --cpu-prof  write a CPU profile of the app's thread per command's timed pass into DIR
              (the profiler's own cost inflates that pass's event-loop figures)
  --trace     print each command's database commands, one request at a time: per query shape, how many per
              request, their mean time (queueing in the database included) and documents returned
              (and each job run's, per run)
With MONGODB_URI set, each read command's calibration requests are also explained (executionStats):
index keys and documents examined per request, and whether a collection was scanned.
Database: MONGODB_URI when set, else the local chain in memory (a cached mongod, else the stand-in).`;

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new ConfigError(`--${flag} must be a positive number, got "${value}"\n${USAGE}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: 'string' },
      c: { type: 'string' },
      duration: { type: 'string' },
      grow: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      import: { type: 'string' },
      ticks: { type: 'string' },
      skip: { type: 'string' },
      'cpu-prof': { type: 'string' },
      trace: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = loadEnv();
  const base = values.quick ? QUICK : DEFAULTS;
  const n = positiveNumber('n', values.n);
  const c = positiveNumber('c', values.c);
  const duration = positiveNumber('duration', values.duration);
  const grow = positiveNumber('grow', values.grow);
  const importRows = positiveNumber('import', values.import);
  const ticks = positiveNumber('ticks', values.ticks);
  const skip = (values.skip ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  const unknown = skip.filter((part) => part !== 'jobs' && part !== 'import');
  if (unknown.length) throw new ConfigError(`--skip takes jobs and/or import, got "${unknown.join(', ')}"\n${USAGE}`);
  if (grow !== undefined && !(Number.isInteger(grow) && grow >= 2)) throw new ConfigError(`--grow must be a whole number of at least 2, got "${values.grow}"\n${USAGE}`);
  const options: BenchOptions = {
    ...base,
    ...(n ? { n: Math.round(n) } : {}),
    ...(c ? { concurrency: Math.round(c) } : {}),
    ...(duration ? { durationMs: duration * 1000 } : {}),
    ...(grow ? { growFactor: grow } : {}),
    ...(importRows ? { importRows: Math.round(importRows) } : {}),
    ...(ticks ? { tickWorkspaces: Math.round(ticks) } : {}),
    ...(env.MONGODB_URI ? { uri: env.MONGODB_URI } : {}),
    ...(values.only ? { only: values.only } : {}),
    ...(skip.length ? { skip: skip as Array<'jobs' | 'import'> } : {}),
    ...(values['cpu-prof'] ? { cpuProfileDir: values['cpu-prof'] } : {}),
    ...(values.trace ? { trace: true } : {}),
    timezone: env.TZ_DEFAULT,
    progress: (line) => process.stderr.write(`[bench] ${line}\n`),
  };
  process.stderr.write(`[bench] database: ${env.MONGODB_URI ? 'MONGODB_URI' : 'local (a cached mongod, else the stand-in), in memory'}\n`);
  const result = await runBench(options);
  process.stdout.write(`${formatReport(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

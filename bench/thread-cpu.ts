import { readFileSync } from 'node:fs';

/**
 * CPU milliseconds (user + system) the app's thread (this, the main thread) has used, from
 * /proc/self/task/<pid>/stat on Linux; undefined elsewhere. Event-loop busy time is wall time: on
 * a machine whose cores the database and the load worker share, it also counts the time the thread
 * waited for a core, so it says more about the machine than about the app. Resolution: 10 ms
 * (USER_HZ), fine over a pass of many requests.
 */
export function threadCpuMs(): number | undefined {
  return cpuMsOf(`/proc/self/task/${process.pid}/stat`);
}

/** CPU milliseconds (user + system, all its threads) another process has used: the stand-in's, to say how much database work a request costs whatever the machine's load. */
export function processCpuMs(pid: number): number | undefined {
  return cpuMsOf(`/proc/${pid}/stat`);
}

function cpuMsOf(file: string): number | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

const USER_HZ = 100;

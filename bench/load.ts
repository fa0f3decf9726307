import { Worker } from 'node:worker_threads';
import type { RunRequest, RunResult, WorkerMessage } from './load-protocol';

export interface LoadWorker {
  /** Base URL of the recording Slack API (set it as the app's SLACK_API_URL with `/api/`). */
  apiUrl: string;
  run(request: Omit<RunRequest, 'type' | 'id'>): Promise<RunResult>;
  close(): Promise<void>;
}

/**
 * Starts bench/load-worker.ts in a worker thread. Workers do not inherit tsx's loader, so the
 * worker registers it first (this works under `tsx` and under vitest alike).
 */
export async function startLoadWorker(): Promise<LoadWorker> {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const script = new URL('./load-worker.ts', import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(tsxApi)}; register(); await import(${JSON.stringify(script)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));

  const pending = new Map<number, { resolve: (r: RunResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;

  const apiUrl = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve(message.apiUrl);
      else if (message.type === 'result') pending.get(message.id)?.resolve(message);
      else if (message.type === 'error') {
        const error = new Error(`load worker: ${message.message}`);
        if (message.id === undefined) reject(error);
        else pending.get(message.id)?.reject(error);
      }
      if (message.type !== 'ready' && message.id !== undefined) pending.delete(message.id);
    });
  });
  worker.on('error', (error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  });

  return {
    apiUrl,
    run(request) {
      if (failure) return Promise.reject(failure);
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...request, type: 'run', id });
      });
    },
    async close() {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' });
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

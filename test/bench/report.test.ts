import { describe, expect, it } from 'vitest';
import { evaluateTargets, type BenchResult, type JobRow, type JobRun } from '../../bench/report';

/** A bench result with only jobs measured (everything else empty). */
function withJobs(jobs: JobRow[]): BenchResult {
  return {
    database: 'stand-in',
    n: 5_000,
    grown: 50_000,
    growFactor: 10,
    concurrency: 16,
    durationMs: 6_000,
    seeded: { influencers: 5_000, touchpoints: 0, collaborations: 0, contents: 0, payments: 0 },
    floors: [],
    commands: [],
    jobs,
    skipped: ['import'],
    targets: [],
    rssBytes: 0,
    peakRssBytes: 0,
    heapUsedBytes: 0,
    collectedBeforeMemory: true,
    appErrors: [],
    machine: { cores: 2, node: 'v20', platform: 'linux x64', cpu: 'test' },
    totalMs: 0,
  };
}

const run = (roundTrips: number): JobRun => ({ ms: 100, roundTrips, ops: `find ${roundTrips}`, posts: 1, finished: true });
const job = (name: string, atN: [number, number], atGrown: [number, number], batchSize?: number): JobRow => ({
  name,
  ...(batchSize ? { batchSize } : {}),
  atN: { first: run(atN[0]), then: run(atN[1]) },
  atGrown: { first: run(atGrown[0]), then: run(atGrown[1]) },
});
const jobTarget = (jobs: JobRow[]) => evaluateTargets(withJobs(jobs)).find((t) => t.name.startsWith('job round trips'))!;

describe('the job round-trip target', () => {
  it('GIVEN a job working in batches of 1,000 whose round trips grow 22 -> 190 at 10 x N, and jobs with equal ones THEN met, the batch named', () => {
    const target = jobTarget([job('payment-schedules', [22, 8], [190, 80], 1_000), job('nudges', [8, 8], [8, 8])]);
    expect(target).toEqual({
      name: 'job round trips equal at N and 10 x N (a job working in batches: at most 10 x)',
      result: 'payment-schedules (batches of 1,000) 22 vs 190 (first run), 8 vs 80 (then); nudges 8 vs 8 (first run), 8 vs 8 (then)',
      met: true,
    });
  });

  it('GIVEN a batched job growing faster than the workspace, or a job without batches growing at all THEN not met', () => {
    expect(jobTarget([job('payment-schedules', [22, 8], [230, 80], 1_000)]).met).toBe(false);
    expect(jobTarget([job('nudges', [8, 8], [9, 8])]).met).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { DROPPED, WorkPool } from '../../src/scheduler/work-pool';

describe('WorkPool.close', () => {
  it('GIVEN a pool of one with a task under way and one waiting WHEN it closes THEN the waiting one and any submitted later never start, and the one under way finishes', async () => {
    const pool = new WorkPool(1);
    const ran: string[] = [];
    let finish!: () => void;
    const underWay = pool.run(async () => {
      ran.push('under way');
      await new Promise<void>((resolve) => (finish = resolve));
      return 'finished';
    });
    const waiting = pool.run(async () => ran.push('waiting'));

    expect(pool.close()).toBe(1);
    const later = pool.run(async () => ran.push('later'));
    finish();

    expect(await Promise.all([underWay, waiting, later])).toEqual(['finished', DROPPED, DROPPED]);
    expect([ran, pool.size]).toEqual([['under way'], { running: 0, waiting: 0 }]);
  });
});

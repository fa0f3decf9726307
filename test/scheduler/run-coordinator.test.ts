import { beforeAll, describe, expect, it } from 'vitest';
import { MongoRunCoordinator } from '../../src/scheduler/run-coordinator';
import { createSchedulerModels, syncSchedulerIndexes, type SchedulerModels } from '../../src/scheduler/scheduler.models';
import { fakeClock } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

const { connection } = useTestDatabase();
let models: SchedulerModels;
const clock = fakeClock('2026-11-23T08:00:00Z');

beforeAll(async () => {
  models = createSchedulerModels(connection);
  await syncSchedulerIndexes(models);
});

describe('MongoRunCoordinator', () => {
  it('GIVEN two replicas asking for the same fire THEN exactly one is elected', async () => {
    const a = new MongoRunCoordinator(models.runLocks, clock, 'a');
    const b = new MongoRunCoordinator(models.runLocks, clock, 'b');
    const answers = await Promise.all([a.shouldRun('tick:one', 60_000), b.shouldRun('tick:one', 60_000), a.shouldRun('tick:one', 60_000)]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await b.shouldRun('tick:two', 60_000)).toBe(true);
  });

  it('GIVEN a lock past its expiry THEN it is free again (the stand-in never runs the TTL monitor), for exactly one taker', async () => {
    const a = new MongoRunCoordinator(models.runLocks, clock, 'a');
    const b = new MongoRunCoordinator(models.runLocks, clock, 'b');
    const c = new MongoRunCoordinator(models.runLocks, clock, 'c');
    clock.set('2026-11-23T08:00:00Z');
    expect(await a.shouldRun('lease', 30_000)).toBe(true);
    clock.set('2026-11-23T08:00:29Z');
    expect(await b.shouldRun('lease', 30_000)).toBe(false);
    clock.set('2026-11-23T08:00:30Z');
    const takers = await Promise.all([b.shouldRun('lease', 30_000), c.shouldRun('lease', 30_000)]);
    expect(takers.filter(Boolean)).toHaveLength(1);
    expect((await models.runLocks.findById('lease').lean())?.expiresAt).toEqual(new Date('2026-11-23T08:01:00Z'));
  });

  it('GIVEN expired locks THEN sweep removes them, and the TTL index is declared for real MongoDB', async () => {
    const a = new MongoRunCoordinator(models.runLocks, clock, 'a');
    clock.set('2026-11-23T09:00:00Z');
    await a.shouldRun('old', 1000);
    await a.shouldRun('fresh', 60 * 60_000);
    clock.set('2026-11-23T09:30:00Z');
    expect(await a.sweep(clock())).toBeGreaterThanOrEqual(1);
    expect(await models.runLocks.exists({ _id: 'old' })).toBeNull();
    expect(await models.runLocks.exists({ _id: 'fresh' })).not.toBeNull();
    const indexes = await models.runLocks.collection.indexes();
    expect(indexes).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }));
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { LIMITS } from '../../bench/report';
import { formatReport, runBench } from '../../bench/run-bench';
import { jobs } from '../../jobs';

describe('npm run bench', () => {
  it('GIVEN tiny parameters THEN every command gets a row with numbers, no errors, and the report prints them', async () => {
    const result = await runBench({
      n: 50,
      concurrency: 2,
      durationMs: 150,
      calibration: 2,
      warmup: 2,
      growFactor: 10,
      jobTimeoutMs: 10_000,
      importRows: 200,
      tickWorkspaces: 5,
      uri: inject('mongoUri'),
      dbName: `bench_${randomBytes(4).toString('hex')}`,
    });

    const labels = result.commands.map((row) => row.label);
    for (const wanted of ['/influencer show', '/influencer find', '/influencer add (form)', '/influencer log']) {
      expect(labels.some((label) => label.startsWith(wanted)), `${wanted} in ${labels.join(', ')}`).toBe(true);
    }
    expect(result.floors.map((f) => f.floor)).toEqual(['bare', 'one-read', 'open', 'read-reply']);
    for (const row of [...result.floors, ...result.commands]) {
      expect(row.errors, `${row.label}: ${row.errorSamples.join(' | ')}`).toBe(0);
      expect(row.requests, row.label).toBeGreaterThan(0);
      expect(Number.isFinite(row.rps) && row.rps > 0, row.label).toBe(true);
      expect(Number.isFinite(row.ack.p99), row.label).toBe(true);
      expect(Number.isFinite(row.roundTrips), row.label).toBe(true);
      if (row.kind !== 'floor') expect(Number.isFinite(row.reply?.p99), row.label).toBe(true);
    }
    expect(result.commands.find((row) => row.kind === 'form')?.roundTrips).toBe(0);
    // Issue 5: at most 3 database round trips per command. Content edit and remove are measured over it
    // (the report says NOT MET): without transactions each reads the piece with its collaboration, writes
    // it as read with its work recorded on it (and its freed checklist item), records the change (the
    // audit trail's own collection), then settles the piece (edit) or reads its payment beside the record
    // and deletes it (remove); held at what they measure (4 and 5) so they do not grow unseen.
    const OVER = new Map([
      ['/content edit <link> type:...', 4],
      ['/content remove <link> <reason>', 5],
    ]);
    expect(result.commands.filter((row) => row.roundTrips > (OVER.get(row.label) ?? LIMITS.roundTrips)).map((row) => `${row.label}: ${row.roundTrips} (${row.ops})`)).toEqual([]);
    expect(result.commands.filter((row) => OVER.has(row.label)).map((row) => row.label)).toEqual([...OVER.keys()]);
    expect(result.jobs.map((job) => job.name)).toEqual(jobs.map((job) => job.name));
    // Issue 5: job round trips the same at N and 10 x N, on the first run at each size and after it.
    const tripsOf = (runs: (typeof result.jobs)[number]['atN']) => [runs.first.finished, runs.first.ops, runs.then?.ops];
    for (const job of result.jobs) expect(tripsOf(job.atGrown), job.name).toEqual(tripsOf(job.atN));
    expect(result.appErrors).toEqual([]);
    // Issue 13: App Home published for the seeded owners; a scheduler tick over many workspaces.
    expect(result.appHome?.errors, result.appHome?.errorSamples.join(' | ')).toBe(0);
    expect(Number.isFinite(result.appHome?.reply?.p99)).toBe(true);
    // Its reads: the workspace, the event's claim, one query per section (the deliverables and the
    // relationships with their count), and the snoozes of the items shown (none to read when it
    // shows none: which seeded owners the calibration opens decides): at most 11 at N and 10 x N.
    // test/jobs/nurture-round-trips.test.ts holds them and the documents read exactly.
    expect([result.appHome?.roundTrips, result.appHomeGrown?.roundTrips].map((trips) => trips !== undefined && trips <= 11)).toEqual([true, true]);
    expect([result.tick?.allDue.runs, result.tick?.noneDue.runs]).toEqual([5 * jobs.length, 0]);
    expect(result.tick!.noneDue.roundTrips).toBeLessThan(result.tick!.allDue.roundTrips);

    const report = formatReport(result);
    for (const row of [...result.floors, ...result.commands]) expect(report).toContain(`| ${row.label}`);
    for (const job of result.jobs) expect(report).toContain(`| ${job.name}`);
    expect(report).toContain('database:');
    expect(report).toContain('RSS after the run');
    // The import row: 200 rows added in one bulk insert; the same file again writes nothing.
    expect(result.imported?.apply.summary).toBe('creators.csv: 200 rows · 200 added · 0 updated · 0 unchanged · 0 refused');
    expect(result.imported?.again.summary).toBe('creators.csv: 200 rows · 0 new · 0 to update · 200 unchanged · 0 refused');
    expect(result.imported?.apply.ops).toContain('insert 2'); // the creators, then their history entries
    expect(report).toContain('| Import (1,000 rows per bulk write)');
    expect(report).toContain('| App Home opened -> views.publish');
    expect(report).toContain('| all due (the posting minute)');
    expect(report).toContain('App Home published p99 < 1000 ms');
  }, 60_000);

  it('GIVEN a /content remove row with 8 posts to remove and more requests than that wanted THEN each post is removed once and no request finds its post gone', async () => {
    // Without the cap, warm-up and calibration alone (5 + 5) would ask for 10 removals of 8 posts.
    const result = await runBench({
      n: 10,
      concurrency: 2,
      durationMs: 600,
      calibration: 5,
      warmup: 5,
      growFactor: 10,
      jobTimeoutMs: 10_000,
      only: '/content remove',
      skip: ['jobs', 'import'],
      uri: inject('mongoUri'),
      dbName: `bench_${randomBytes(4).toString('hex')}`,
    });

    const row = result.commands.find((r) => r.label.startsWith('/content remove'))!;
    // A quarter of the 8 to warm up, a quarter to calibrate: the timed pass has the other 4 at most.
    expect([row.errors, row.errorSamples, row.requests > 0 && row.requests <= 4]).toEqual([0, [], true]);
  }, 60_000);
});

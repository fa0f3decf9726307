import { describe, expect, it } from 'vitest';
import { explainable, summarizeExplain } from '../../bench/explain';

/** The shapes of MongoDB 6/7 `explain` answers the bench sums (trimmed to the fields that matter). */
const FIND = {
  queryPlanner: {
    winningPlan: { stage: 'LIMIT', inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'workspaceId_1_searchKeys_1_nameKey_1__id_1' } } },
    rejectedPlans: [{ stage: 'SORT', inputStage: { stage: 'COLLSCAN' } }],
  },
  executionStats: { nReturned: 10, totalKeysExamined: 101, totalDocsExamined: 101, executionStages: { stage: 'LIMIT', keysExamined: 0, docsExamined: 0 } },
  ok: 1,
};

const AGGREGATE_WITH_LOOKUP = {
  stages: [
    {
      $cursor: {
        queryPlanner: { winningPlan: { stage: 'FETCH', inputStage: { stage: 'IXSCAN' } } },
        executionStats: { nReturned: 20, totalKeysExamined: 20, totalDocsExamined: 20 },
      },
    },
    { $lookup: { from: 'influencers' }, totalDocsExamined: 20, totalKeysExamined: 20, collectionScans: 0, indexesUsed: ['_id_'] },
    { $lookup: { from: 'contents' }, totalDocsExamined: 5000, totalKeysExamined: 0, collectionScans: 20, indexesUsed: [] },
  ],
  ok: 1,
};

describe('explain summary', () => {
  it('GIVEN a find THEN keys and documents examined and the scan of the winning plan, not of rejected ones', () => {
    expect(summarizeExplain(FIND)).toEqual({ keys: 101, docs: 101, stages: ['IXSCAN'] });
  });

  it('GIVEN an aggregation with $lookup THEN the lookups count too, and a lookup that scanned is a COLLSCAN', () => {
    expect(summarizeExplain(AGGREGATE_WITH_LOOKUP)).toEqual({ keys: 40, docs: 5040, stages: ['COLLSCAN', 'IXSCAN'] });
  });

  it('GIVEN commands as the driver sends them THEN reads lose their session fields and writes are not explained', () => {
    expect(explainable({ find: 'influencers', filter: { a: 1 }, limit: 10, $db: 'irm', lsid: { id: 1 }, $clusterTime: {} })).toEqual({ find: 'influencers', filter: { a: 1 }, limit: 10 });
    expect(explainable({ aggregate: 'payments', pipeline: [], cursor: {}, $db: 'irm' })).toEqual({ aggregate: 'payments', pipeline: [], cursor: {} });
    expect(explainable({ insert: 'touchpoints', documents: [], $db: 'irm' })).toBeUndefined();
  });
});

import type { Connection } from 'mongoose';
import type { Clock } from '../core/command';
import { changeModel } from './audit/change.model';
import { influencerModel } from './influencer/influencer.model';
import { InfluencerService } from './influencer/influencer.service';
import { touchpointModel } from './influencer/touchpoint.model';
import { workspaceModel } from './workspace/workspace.model';
import { WorkspaceService } from './workspace/workspace.service';

export interface ServiceOptions {
  clock: Clock;
  defaultTimezone: string;
}

/** Every model on one connection; services receive only the models they need. */
export function createModels(conn: Connection) {
  return {
    workspaces: workspaceModel(conn),
    influencers: influencerModel(conn),
    touchpoints: touchpointModel(conn),
    changes: changeModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

export function createServices(models: Models, options: ServiceOptions) {
  return {
    workspaces: new WorkspaceService(models.workspaces, options.defaultTimezone),
    influencers: new InfluencerService(models.influencers, models.touchpoints, models.changes, options.clock),
  };
}

export type DomainServices = ReturnType<typeof createServices>;

/** Builds every index the queries rely on (idempotent; run at start). */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.syncIndexes();
}

declare module '../core/command' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Services extends DomainServices {}
}

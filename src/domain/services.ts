import type { Connection } from 'mongoose';
import type { Clock } from '../core/command';
import { AuditTrail } from './audit/audit-trail';
import { changeModel } from './audit/change.model';
import { collaborationModel } from './collaboration/collaboration.model';
import { CollaborationService } from './collaboration/collaboration.service';
import { CollaborationEdit } from './collaboration/collaboration-edit';
import { CollaborationStart } from './collaboration/collaboration-start';
import { contentModel } from './content/content.model';
import { ContentService } from './content/content.service';
import { ContentChanges } from './content/content-changes';
import { ContentLogging } from './content/content-logging';
import { influencerModel } from './influencer/influencer.model';
import { InfluencerService } from './influencer/influencer.service';
import { touchpointModel } from './influencer/touchpoint.model';
import { followUpModel } from './nurture/follow-up.model';
import { nudgePreferenceModel } from './nurture/nudge-preference.model';
import { NurtureService } from './nurture/nurture.service';
import { snoozeModel } from './nurture/snooze.model';
import { ReachOutPlanner } from './nurture/reach-out';
import { paymentModel } from './payment/payment.model';
import { OnTimeMemo } from './payment/on-time-memo';
import { PaymentHistory } from './payment/payment-history';
import { PaymentPlanning } from './payment/payment-planning';
import { PaymentReports } from './payment/payment-reports';
import { PaymentStates } from './payment/payment-states';
import { ReportService } from './report/report.service';
import { workspaceModel } from './workspace/workspace.model';
import { CreatorImporter } from './influencer/influencer-import';
import { ExportService } from './transfer/export.service';
import { importModel } from './transfer/import.model';
import { ImportService } from './transfer/import.service';
import { PaymentManagers } from './workspace/payment-managers';
import { TimezoneChange } from './workspace/timezone-change';
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
    collaborations: collaborationModel(conn),
    contents: contentModel(conn),
    payments: paymentModel(conn),
    followUps: followUpModel(conn),
    snoozes: snoozeModel(conn),
    nudgePreferences: nudgePreferenceModel(conn),
    imports: importModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

export function createServices(models: Models, options: ServiceOptions) {
  // The one writer of `changes`: every service records its history through it.
  const audit = new AuditTrail(models.changes, options.clock);
  const content = new ContentService(models.contents, models.collaborations, models.influencers, audit, options.clock);
  // Creators' reach-out days: planned from the creator and the workspace's settings, written by their
  // owning service; their published items follow a change of owner (written by the content's).
  const influencers = new InfluencerService(models.influencers, models.touchpoints, audit, options.clock, new ReachOutPlanner(models), content);
  // Payments: their states (the one writer), planning from the terms and revenue (writing through
  // the states), and what is read back; every write forgets the on-time rate the reports memoise.
  const onTimeMemo = new OnTimeMemo();
  const paymentStates = new PaymentStates(models.payments, audit, onTimeMemo, options.clock);
  const paymentPlanning = new PaymentPlanning(models.payments, models.collaborations, models.contents, models.influencers, audit, paymentStates, options.clock, models.workspaces);
  const paymentReports = new PaymentReports(models.payments, models.collaborations, models.influencers, onTimeMemo, options.clock);
  const workspaces = new WorkspaceService(models.workspaces, options.defaultTimezone, options.clock, influencers);
  // Its cost (committed and paid) reads the collaboration's payments along with it.
  const collaborations = new CollaborationService(models.collaborations, models.contents, models.influencers, influencers, content, audit, options.clock, paymentReports);
  const paymentManagers = new PaymentManagers(workspaces);
  return {
    workspaces,
    influencers,
    collaborations,
    content,
    paymentStates,
    paymentPlanning,
    paymentReports,
    /** What happened to one payment (`/payment show`), from the audit trail. */
    paymentHistory: new PaymentHistory({ influencers: models.influencers, collaborations: models.collaborations }, audit),
    /** Use-case: `/collab new`, the collaboration with its checklist, the creator's stage and its payments. */
    collaborationStart: new CollaborationStart(collaborations, content, influencers, paymentPlanning),
    /** Use-case: `/content log`, the piece with its per-deliverable payment. */
    contentLogging: new ContentLogging(content, paymentPlanning),
    /** Use-case: `/content metrics|edit|remove`, the piece's payment and the commission following it. */
    contentChanges: new ContentChanges(content, paymentStates, paymentPlanning, paymentManagers),
    /** Use-case: `/collab edit`, the checklist and planned payments following the new terms. */
    collaborationEdit: new CollaborationEdit(collaborations, content, paymentPlanning),
    /** Who may move money: the workspace's payment managers, or its admins. */
    paymentManagers,
    /** Use-case: a workspace's timezone change, keeping every calendar day on its day. */
    timezone: new TimezoneChange(workspaces, paymentStates, content, collaborations),
    reports: new ReportService(models.collaborations, models.contents, models.influencers, models.payments, options.clock),
    nurture: new NurtureService(models, influencers, content, options.clock),
    exports: new ExportService(models),
    imports: new ImportService(models.imports, new CreatorImporter(models.influencers, influencers, audit, options.clock), options.clock),
  };
}

export type DomainServices = ReturnType<typeof createServices>;

/** Builds every index the queries rely on (idempotent; run at start). */
export async function syncIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.syncIndexes();
}

/**
 * Brings documents written by an older version up to date (idempotent; run at start, after
 * syncIndexes, before anything else is served), each through its collection's owning service.
 * Returns what changed, for the start-up log.
 */
export async function migrate(
  services: Pick<DomainServices, 'influencers' | 'collaborations' | 'content' | 'paymentStates' | 'paymentPlanning' | 'nurture'>,
): Promise<{ searchKeys: number; titleKeys: number; recentTouchpoints: number; reachOut: number; contentOwners: number; creatorOwners: number; cancelCodes: number; autoLabels: number; deliverableSnoozes: number }> {
  const creators = await services.influencers.upgradeStored();
  return {
    searchKeys: creators.searchKeys,
    titleKeys: await services.collaborations.upgradeStored(),
    recentTouchpoints: creators.recentTouchpoints,
    reachOut: creators.reachOut,
    contentOwners: await services.content.upgradeStored(),
    creatorOwners: await services.content.upgradeCreatorOwners(),
    cancelCodes: await services.paymentStates.upgradeCancelReasons(),
    autoLabels: await services.paymentPlanning.upgradeLabels(),
    deliverableSnoozes: await services.nurture.upgradeStored(),
  };
}

declare module '../core/command' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Services extends DomainServices {}
}

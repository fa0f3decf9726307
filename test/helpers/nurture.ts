import { Types } from 'mongoose';
import { addDays, atLocalTime, localDay, type Stage } from '../../src/core';
import type { Influencer } from '../../src/domain/influencer/influencer.service';
import type { buildApp } from './app';

type App = Awaited<ReturnType<typeof buildApp>>;

/**
 * A creator added through the real service, then dated as a test needs: added `addedDaysAgo`
 * (local days, at noon) and last contacted `contactedDaysAgo` days ago through a real touchpoint.
 */
export async function addCreator(
  app: App,
  workspace: { id: string; timezone: string },
  options: {
    name: string;
    stage?: Stage;
    ownerId?: string;
    birthday?: { month: number; day: number; year?: number };
    address?: string;
    preferences?: string;
    email?: string;
    addedDaysAgo?: number;
    contactedDaysAgo?: number;
    handle?: string;
  },
): Promise<Influencer> {
  const created = await app.services.influencers.add(
    workspace.id,
    {
      name: options.name,
      handles: options.handle ? [{ network: 'instagram', handle: options.handle }] : [],
      tags: [],
      ownerId: options.ownerId ?? 'U0MARIA',
      stage: options.stage ?? 'active',
      ...(options.birthday ? { birthday: options.birthday } : {}),
      ...(options.address ? { address: options.address } : {}),
      ...(options.preferences ? { preferences: options.preferences } : {}),
      ...(options.email ? { email: options.email } : {}),
    },
    'tester',
  );
  const today = localDay(app.clock(), workspace.timezone);
  const daysAgo = (n: number) => atLocalTime(addDays(today, -n), '12:00', workspace.timezone);
  await app.models.influencers.collection.updateOne({ _id: created._id }, { $set: { createdAt: daysAgo(options.addedDaysAgo ?? 400) } });
  // Dated behind the services' back: its reach-out day follows, as every write of the services does it.
  await app.services.influencers.syncReachOutOf(workspace.id, [created._id]);
  if (options.contactedDaysAgo !== undefined) {
    await app.services.influencers.logTouchpoint(created, { kind: 'call', summary: 'Catch-up', at: daysAgo(options.contactedDaysAgo) }, options.ownerId ?? 'U0MARIA');
  }
  return (await app.models.influencers.findById(created._id).lean<Influencer>())!;
}

/** A published piece of content with engagement, `daysAgo` local days back, carrying its creator's owner as `/content log` writes it. */
export async function publish(
  app: App,
  workspace: { id: string; timezone: string },
  creator: Influencer,
  collaborationId: Types.ObjectId,
  options: { daysAgo: number; likes: number; url?: string },
) {
  const today = localDay(app.clock(), workspace.timezone);
  const day = addDays(today, -options.daysAgo);
  const [doc] = await app.models.contents.insertMany([
    {
      workspaceId: new Types.ObjectId(workspace.id),
      collaborationId,
      influencerId: creator._id,
      creatorOwnerId: creator.ownerId,
      type: 'reel',
      network: 'instagram',
      month: day.slice(0, 7),
      status: 'published',
      url: options.url ?? `https://instagram.com/reel/${new Types.ObjectId().toHexString()}`,
      publishedAt: atLocalTime(day, '12:00', workspace.timezone),
      metrics: { likes: options.likes, reach: options.likes * 10 },
    },
  ]);
  return doc!;
}

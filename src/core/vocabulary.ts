/** The domain's words, shared by commands (schemas, forms, help) and the domain (models, rules). */

export const NETWORKS = ['instagram', 'tiktok', 'youtube', 'x', 'twitch', 'linkedin', 'pinterest', 'blog', 'other'] as const;
export type Network = (typeof NETWORKS)[number];

export const STAGES = ['prospect', 'contacted', 'negotiating', 'active', 'ambassador', 'paused', 'ended'] as const;
export type Stage = (typeof STAGES)[number];

export const TOUCHPOINT_KINDS = [
  'outreach',
  'reply',
  'call',
  'meeting',
  'gift',
  'event-invite',
  'engagement',
  'birthday-wish',
  'briefing',
  'feedback',
  'note',
] as const;
export type TouchpointKind = (typeof TOUCHPOINT_KINDS)[number];

export const COLLAB_TYPES = ['sponsored-post', 'review', 'takeover', 'guest-blog', 'ambassador', 'affiliate', 'gifting'] as const;
export type CollabType = (typeof COLLAB_TYPES)[number];

export const GOALS = ['awareness', 'image', 'sales'] as const;
export type Goal = (typeof GOALS)[number];

export const COLLAB_STATUSES = ['active', 'completed', 'cancelled'] as const;
export type CollabStatus = (typeof COLLAB_STATUSES)[number];

/** How often a collaboration's expected content is due: `once` in all, or every `monthly` while it runs. */
export const CONTENT_CADENCES = ['once', 'monthly'] as const;
export type ContentCadence = (typeof CONTENT_CADENCES)[number];

export const PAYMENT_SCHEDULES = ['once', 'monthly', 'per-deliverable'] as const;
export type PaymentSchedule = (typeof PAYMENT_SCHEDULES)[number];

export const CONTENT_TYPES = ['post', 'story', 'reel', 'video', 'short', 'blog', 'stream'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

const CONTENT_TYPE_PLURALS: Record<ContentType, string> = {
  post: 'posts',
  story: 'stories',
  reel: 'reels',
  video: 'videos',
  short: 'shorts',
  blog: 'blogs',
  stream: 'streams',
};

export const pluralType = (type: ContentType): string => CONTENT_TYPE_PLURALS[type];

/** `Posts`, `stories`, `Blog posts`... -> the content type, or undefined. */
export function contentTypeOf(word: string): ContentType | undefined {
  const w = word.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const singular = (CONTENT_TYPES as readonly string[]).includes(w)
    ? w
    : (Object.entries(CONTENT_TYPE_PLURALS).find(([, plural]) => plural === w)?.[0] ??
      ({ 'blog-post': 'blog', 'blog-posts': 'blog', 'livestream': 'stream', 'livestreams': 'stream', 'live': 'stream' } as Record<string, string>)[w]);
  return singular as ContentType | undefined;
}

export const CONTENT_STATUSES = ['planned', 'published', 'cancelled'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

export const METRICS = [
  'reach',
  'impressions',
  'views',
  'likes',
  'comments',
  'shares',
  'saves',
  'clicks',
  'new_followers',
  'redemptions',
  'purchases',
  'revenue',
] as const;
export type Metric = (typeof METRICS)[number];

export const PAYMENT_STATUSES = ['scheduled', 'paid', 'cancelled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

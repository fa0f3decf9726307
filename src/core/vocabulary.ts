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

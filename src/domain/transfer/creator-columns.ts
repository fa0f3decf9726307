import { formatYearlyDate } from '../../core/calendar';
import { NETWORKS, type Network } from '../../core/vocabulary';
import type { InfluencerDoc } from '../influencer/influencer.model';

/**
 * The creators file: what export writes and import reads, so an exported file imports back into
 * another workspace as the same records. Import also accepts the aliases below (matched
 * case-, accent- and separator-insensitively through `headerKey`).
 */
export const CREATOR_FIELDS = [
  'id',
  'name',
  ...NETWORKS.flatMap((network) => [network, `${network} followers`] as const),
  'email',
  'phone',
  'address',
  'birthday',
  'timezone',
  'tags',
  'stage',
  'owner',
  'source',
  'notes',
  'preferences',
  'archived',
] as const;

export type CreatorField = (typeof CREATOR_FIELDS)[number];

/** Other headers spreadsheets use for the same column (the network ones are generated). */
export const CREATOR_ALIASES: Partial<Record<CreatorField, readonly string[]>> = {
  name: ['full name', 'creator', 'influencer', 'creator name', 'influencer name'],
  email: ['e-mail', 'email address', 'mail'],
  phone: ['phone number', 'mobile', 'telephone'],
  address: ['shipping address', 'postal address'],
  birthday: ['birth date', 'date of birth', 'dob'],
  tags: ['niche', 'niches', 'categories'],
  owner: ['owner id', 'account owner'],
  notes: ['note', 'comments'],
  preferences: ['preference'],
  id: ['creator id', 'record id'],
};

/** `instagram`, `instagram handle`, `instagram username`, `ig`; `instagram followers`. */
export function networkAliases(network: Network): { handle: string[]; followers: string[] } {
  const short: Partial<Record<Network, string[]>> = { instagram: ['ig', 'insta'], youtube: ['yt'], x: ['twitter'], tiktok: ['tik tok'] };
  const names = [network, ...(short[network] ?? [])];
  return {
    handle: names.flatMap((n) => [n, `${n} handle`, `${n} username`, `${n} account`]),
    followers: names.flatMap((n) => [`${n} followers`, `${n} follower count`, `${n} audience`]),
  };
}

/** One exported row, in CREATOR_FIELDS order. */
export function creatorRow(record: InfluencerDoc): Array<string | number | undefined> {
  const byNetwork = new Map(record.handles.map((h) => [h.network, h]));
  const birthday = record.birthday?.month
    ? formatYearlyDate(record.birthday.month, record.birthday.day ?? 1, record.birthday.year)
    : undefined;
  return [
    String(record._id),
    record.name,
    ...NETWORKS.flatMap((network) => {
      const handle = byNetwork.get(network);
      return [handle ? `@${handle.handle}` : undefined, handle?.followers ?? undefined];
    }),
    record.email ?? undefined,
    record.phone ?? undefined,
    record.address ?? undefined,
    birthday,
    record.timezone ?? undefined,
    record.tags.join(', ') || undefined,
    record.stage,
    record.ownerId,
    record.source ?? undefined,
    record.notes ?? undefined,
    record.preferences ?? undefined,
    record.archivedAt ? 'yes' : undefined,
  ];
}

/** Which creator field each column of a file holds (undefined: unknown), by header. */
export function mapCreatorHeader(header: readonly string[], keyOf: (header: string) => string): {
  fields: Array<CreatorField | undefined>;
  unknown: string[];
  /** A field named by two columns: only the first is read. */
  repeated: string[];
} {
  const lookup = new Map<string, CreatorField>();
  for (const field of CREATOR_FIELDS) lookup.set(keyOf(field), field);
  for (const [field, aliases] of Object.entries(CREATOR_ALIASES)) for (const alias of aliases) lookup.set(keyOf(alias), field as CreatorField);
  for (const network of NETWORKS) {
    const { handle, followers } = networkAliases(network);
    for (const alias of handle) lookup.set(keyOf(alias), network);
    for (const alias of followers) lookup.set(keyOf(alias), `${network} followers`);
  }
  const seen = new Set<CreatorField>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  const fields = header.map((h) => {
    const field = lookup.get(keyOf(h));
    if (!field) {
      if (h.trim() !== '') unknown.push(h);
      return undefined;
    }
    if (seen.has(field)) {
      repeated.push(h);
      return undefined;
    }
    seen.add(field);
    return field;
  });
  return { fields, unknown, repeated };
}

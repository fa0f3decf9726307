import type { CommandRouter } from '../src/platforms/command-router';
import type { SeedRefs } from './seed';

/**
 * What the bench fires: read-mostly invocations that succeed on the seeded workspace, one per
 * subcommand worth measuring. Only those whose command and subcommand exist are kept, so the
 * bench follows the command surface as it grows.
 */

export type ScenarioKind = 'read' | 'form' | 'write';

export interface Scenario {
  /** `/influencer show @creator<i>` */
  label: string;
  command: string;
  subcommand: string;
  kind: ScenarioKind;
  /** Slash command texts, used round-robin. */
  texts: string[];
  /** The reply must match this (regex source, case-insensitive). */
  expect: string;
  /**
   * Each text works once (it removes what it names): the row's warm-up, calibration and timed pass
   * send at most `texts.length` requests in all, so no request finds its target gone.
   */
  once?: true;
}

/** Replies that mean the command did not do what was asked. */
export const REJECT = [
  'something went wrong',
  'No creator matches',
  'No collaboration matches',
  'No content matches',
  'Several [a-z ]+ match',
  'Unknown argument',
  'has no subcommand',
  'Unexpected words',
  'could not open',
].join('|');

const SPREAD = 200;

export function scenariosFor(router: Pick<CommandRouter, 'command'>, refs: SeedRefs, n: number): Scenario[] {
  const picks = Array.from({ length: Math.min(SPREAD, n) }, (_, k) => Math.floor(((k * 7_919) % SPREAD) * (n / SPREAD)) % n);
  const handles = picks.map((i) => `@${refs.handle(i)}`);
  const titles = refs.activeTitles.length ? refs.activeTitles : ['(none)'];
  const quote = (value: string) => `"${value}"`;
  // Content of a completed collaboration is final: edits and removals take active creators' pieces.
  const open = [...new Set(picks.filter((i) => refs.active(i)))];

  const all: Scenario[] = [
    { label: '/influencer show @creator<i>', command: 'influencer', subcommand: 'show', kind: 'read', texts: handles.map((h) => `show ${h}`), expect: 'creator\\d+' },
    { label: `/influencer find ${refs.commonName}`, command: 'influencer', subcommand: 'find', kind: 'read', texts: [`find ${refs.commonName}`], expect: 'match' },
    { label: '/influencer list active', command: 'influencer', subcommand: 'list', kind: 'read', texts: ['list active'], expect: 'active creators' },
    { label: '/influencer add (form)', command: 'influencer', subcommand: 'add', kind: 'form', texts: ['add'], expect: 'Add a creator' },
    {
      label: '/influencer log @creator<i> note ...',
      command: 'influencer',
      subcommand: 'log',
      kind: 'write',
      texts: handles.map((h) => `log ${h} note Bench check-in about the next post`),
      expect: 'Logged note',
    },
    { label: '/collab show "<title>"', command: 'collab', subcommand: 'show', kind: 'read', texts: titles.map((t) => `show ${quote(t)}`), expect: 'Spring|Summer|Autumn|Holiday|Back|Brand|Code|Review' },
    { label: '/collab list', command: 'collab', subcommand: 'list', kind: 'read', texts: ['list'], expect: 'active collaborations' },
    { label: '/content list @creator<i>', command: 'content', subcommand: 'list', kind: 'read', texts: handles.map((h) => `list ${h}`), expect: 'published piece' },
    { label: '/payment list', command: 'payment', subcommand: 'list', kind: 'read', texts: ['list'], expect: 'unpaid payment' },
    { label: '/irm settings', command: 'irm', subcommand: 'settings', kind: 'read', texts: ['settings'], expect: 'Settings' },
    // Writes that change what the reads above read: last, so those read the seeded workspace.
    // An active creator's seeded post becomes a reel, then a story, then a reel... (the texts are used
    // round-robin from wherever the run's counter stands, and a piece's visits alternate, so every
    // edit is a real change: the item it ticked reopens and the next one of the new type is ticked).
    {
      label: '/content edit <link> type:...',
      command: 'content',
      subcommand: 'edit',
      kind: 'write',
      texts: [...open.map((i) => `edit ${refs.lastMonthPost(i)} type:reel`), ...open.map((i) => `edit ${refs.lastMonthPost(i)} type:story`)],
      expect: 'Saved the',
    },
    // Each request removes another active creator's post, each once (4 n / 5 of them).
    {
      label: '/content remove <link> <reason>',
      command: 'content',
      subcommand: 'remove',
      kind: 'write',
      texts: Array.from({ length: n }, (_, i) => i)
        .filter((i) => refs.active(i))
        .map((i) => `remove ${refs.lastMonthPost(i)} Bench: logged on the wrong campaign`),
      expect: 'Removed the',
      once: true,
    },
  ];
  return all.filter((s) => router.command(s.command)?.subcommands[s.subcommand] !== undefined);
}

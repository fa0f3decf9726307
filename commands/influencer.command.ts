import { DATE_RULE, formatYearlyDate } from '../src/core';
import { z } from 'zod';
import { suggestReferences } from './suggest';
import {
  onlyKeys,
  selectOptions,
  NETWORKS,
  UserFacingError,
  atLocalTime,
  localDay,
  STAGES,
  TOUCHPOINT_KINDS,
  actions,
  button,
  pageButtons,
  pageOf,
  pastLastPage,
  context,
  defineCommand,
  header,
  dateArg,
  dayOf,
  instantArg,
  type SharedMessage,
  mention,
  oneOf,
  optional,
  para,
  reply,
  requiredText,
  subcommand,
  text,
  userRef,
  wholeNumber,
  type CommandContext,
  type Form,
  type FormField,
  literal,
} from '../src/core';
import type { Handle } from '../src/domain/influencer/influencer-rules';
import type { Influencer, InfluencerPatch, InfluencerSummary } from '../src/domain/influencer/influencer.service';
import { ERASED, PERSONAL_FIELDS, SEARCH_CANDIDATES } from '../src/domain/influencer/influencer.service';
import { yesNo } from './collab.schema';
import { influencerCard, touchpointLine } from './influencer.card';
import { cardHealth, describeHealth } from './nurture.view';
import type { Creator } from '../src/domain/nurture/nurture.service';
import type { Health } from '../src/domain/nurture/nurture-rules';
import { describeChanges, historyLine } from './influencer.history';
import { HISTORY_PAGE_SIZE } from './collab.history';
import { namesOneCreator } from './names-one';
import { done, remind, snooze } from './influencer.nurture';
import { BIRTHDAY_RULE, addInput, editInput, stage, touchpointKind } from './influencer.schema';

const PAGE_SIZE = 20;
/** A touchpoint's summary, and so a message logged from a platform's message menu, holds this much. */
const MAX_SUMMARY = 2000;
/** A message's moment may run this far ahead of our clock (the platform's clock and ours differ a little). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** What a message is logged as: its text, then its link; the text is cut to fit, the link never. */
export function messageSummary(message: SharedMessage): string {
  const text = message.text.trim();
  const room = MAX_SUMMARY - message.link.length - 1;
  const body = text.length > room ? `${text.slice(0, Math.max(0, room - 1)).trimEnd()}…` : text;
  return body ? `${body}\n${message.link}` : message.link;
}
const FIND_PAGE_SIZE = 10;
/** A search is for finding: past the best SEARCH_CANDIDATES, a narrower query beats paging. */
const FIND_MAX_PAGES = SEARCH_CANDIDATES / FIND_PAGE_SIZE;
const TIMELINE_PAGE_SIZE = 10;

/** `show <who> touchpoints`: every touchpoint, newest first, ten a page. */
async function timeline(record: Influencer, page: number, ctx: CommandContext) {
  const id = String(record._id);
  const { items, total } = await ctx.services.influencers.touchpointPage(record, { page, pageSize: TIMELINE_PAGE_SIZE });
  if (total === 0) {
    return reply([para(`No touchpoints with *${literal(record.name)}* yet.`), actions(button('Log touchpoint', `influencer log ${id}`, 'primary'))]);
  }
  const pages = Math.ceil(total / TIMELINE_PAGE_SIZE);
  const more = `influencer show ${id} touchpoints`;
  return reply([
    header(`${literal(record.name)}: touchpoints`),
    para(items.map((t) => `• ${touchpointLine(t, ctx.workspace.timezone)}`).join('\n') || pastLastPage(page, pages)),
    context(`${total} touchpoint${total === 1 ? '' : 's'} · ${pageOf(page, pages)} · newest first · days in ${ctx.workspace.timezone}`),
    actions(
      ...pageButtons(page, pages, (p) => `${more} page:${p}`),
      ...(record.archivedAt ? [] : [button('Log touchpoint', `influencer log ${id}`, 'primary')]),
      button('Card', `influencer show ${id}`),
    ),
  ]);
}


/** Ordered by importance: Discord modals keep only the first five. */
function profileFormFields(record?: Influencer): FormField[] {
  const birthday = record?.birthday?.month
    ? formatYearlyDate(record.birthday.month, record.birthday.day ?? 1, record.birthday.year)
    : undefined;
  const fields: FormField[] = [
    { name: 'name', label: 'Name', kind: 'text', required: true, initial: record?.name },
    {
      name: 'handles',
      label: 'Handles (one per line)',
      kind: 'multiline',
      placeholder: 'instagram @zoe.creates 12500',
      hint: `network @handle followers - networks: ${NETWORKS.join(', ')}`,
      initial: record?.handles.map((h) => `${h.network} @${h.handle}${h.followers != null ? ` ${h.followers}` : ''}`).join('\n'),
    },
    { name: 'email', label: 'Email', kind: 'text', placeholder: 'zoe@example.com', initial: record?.email ?? undefined },
    { name: 'birthday', label: 'Birthday (MM-DD or YYYY-MM-DD)', kind: 'text', placeholder: '07-14', initial: birthday },
    { name: 'tags', label: 'Tags', kind: 'text', placeholder: 'beauty, skincare', initial: record?.tags.join(', ') },
    { name: 'phone', label: 'Phone', kind: 'text', initial: record?.phone ?? undefined },
    { name: 'address', label: 'Shipping address', kind: 'multiline', initial: record?.address ?? undefined },
    { name: 'timezone', label: 'Timezone', kind: 'text', placeholder: 'Europe/Paris', initial: record?.timezone ?? undefined },
    { name: 'preferences', label: 'Preferences (sizes, allergies, favourite products)', kind: 'multiline', initial: record?.preferences ?? undefined },
    { name: 'owner', label: 'Owner', kind: 'user', initial: record?.ownerId },
    { name: 'stage', label: 'Stage', kind: 'select', options: selectOptions(STAGES), initial: record?.stage ?? 'prospect' },
    { name: 'source', label: 'Source (how we found them)', kind: 'text', initial: record?.source ?? undefined },
    { name: 'notes', label: 'Notes', kind: 'multiline', initial: record?.notes ?? undefined },
  ];
  return fields;
}

/** The single handle typed as arguments (`@zoe network:instagram followers:12500`). */
function typedHandle(input: { handle?: string; network?: Handle['network']; followers?: number }): Handle[] {
  return input.handle && input.network
    ? [{ network: input.network, handle: input.handle, ...(input.followers !== undefined ? { followers: input.followers } : {}) }]
    : [];
}


async function resolve(ctx: CommandContext, who: string, includeArchived = false) {
  return ctx.services.influencers.resolve(ctx.workspace.id, who, { includeArchived });
}

function healthLine(creator: Creator, health: Health): string {
  return `• *${literal(creator.name)}*${creator.handle ? ` · @${literal(creator.handle)}` : ''} · ${creator.stage} · ${mention(creator.ownerId)} · health ${describeHealth(health)} · id ${creator.id}`;
}

function listLine(record: InfluencerSummary): string {
  const handle = record.handles[0] ? ` · @${literal(record.handles[0].handle)}` : '';
  const archived = record.archivedAt ? ' (archived)' : '';
  return `• *${literal(record.name)}*${archived}${handle} · ${record.stage} · ${mention(record.ownerId)} · id ${String(record._id)}`;
}

export default defineCommand({
  name: 'influencer',
  description: 'Keep every creator we work with: contacts, handles, birthday, preferences, stage and every touchpoint.',
  notes: [DATE_RULE, BIRTHDAY_RULE],
  // Discord autocomplete for the record options (who, collab, payment); Slack's typeahead in forms.
  suggest: suggestReferences,
  messageActions: [
    {
      id: 'log_to_influencer',
      title: 'Log to influencer',
      description: 'Log this message as a touchpoint with a creator',
      subcommand: 'log',
      args: (message) => ({ summary: messageSummary(message), at: message.sentAt.toISOString() }),
    },
  ],
  subcommands: {
    add: subcommand({
      description: 'Add a creator. With no arguments, opens a form.',
      positional: ['name', 'handle'],
      input: addInput,
      examples: [
        '/influencer add',
        '/influencer add "Zoë Tran" @zoe.creates network:instagram followers:12500 email:zoe@example.com birthday:07-14 tags:beauty,skincare',
      ],
      form: (args) =>
        Object.keys(args).length === 0
          ? { kind: 'form', title: 'Add a creator', submitLabel: 'Add', fields: profileFormFields(), submit: { command: 'influencer', subcommand: 'add', args: {} } }
          : undefined,
      async run(input, ctx) {
        const record = await ctx.services.influencers.add(
          ctx.workspace.id,
          {
            name: input.name,
            handles: [...(input.handles ?? []), ...typedHandle(input)],
            email: input.email,
            phone: input.phone,
            address: input.address,
            birthday: input.birthday,
            timezone: input.timezone,
            tags: input.tags ?? [],
            preferences: input.preferences,
            ownerId: input.owner ?? ctx.actor.id,
            stage: input.stage ?? 'prospect',
            source: input.source,
            notes: input.notes,
          },
          ctx.actor.id,
        );
        return influencerCard(record, ctx, 'private', `Added *${literal(record.name)}*.`);
      },
    }),

    find: subcommand({
      description: `Search by name, handle, tag or stage (case and accents do not matter); best ${FIND_PAGE_SIZE} first, \`page:2\` for the next.`,
      positional: ['query'],
      restIsLastPositional: true,
      input: z.object({
        query: requiredText('query', 200),
        page: optional(wholeNumber('page', { min: 1, minMessage: 'page starts at 1', max: FIND_MAX_PAGES, maxMessage: `page is at most ${FIND_MAX_PAGES}: add a word to narrow the search` })),
      }),
      examples: ['/influencer find zoe', '/influencer find skincare', '/influencer find zoe page:2'],
      async run({ query, page = 1 }, ctx) {
        const { items, total, capped } = await ctx.services.influencers.search(ctx.workspace.id, query, { page, pageSize: FIND_PAGE_SIZE });
        if (total === 0) return text(`No creator matches "${literal(query)}".`);
        const pages = Math.ceil(total / FIND_PAGE_SIZE);
        const first = (page - 1) * FIND_PAGE_SIZE + 1;
        const of = capped ? `more than ${total}` : `${total}`;
        const shown =
          total <= FIND_PAGE_SIZE && !capped ? `${total}` : page === 1 ? `best ${items.length} of ${of}` : `${first}-${first + items.length - 1} of ${of}`;
        const more = (to: number) => `influencer find ${query} page:${to}`;
        const next = [
          ...(page < pages ? [`\`/${more(page + 1)}\` shows the next ${FIND_PAGE_SIZE}.`] : []),
          ...(capped ? [`More than ${total} match: the first ${total} by name are ranked. Add a word to narrow the search.`] : []),
        ].join(' ');
        return reply([
          para(`${shown} ${total === 1 && !capped ? 'creator matches' : 'creators match'} "${literal(query)}"${pages > 1 ? ` · page ${page} of ${pages}` : ''}:`),
          para(items.map(listLine).join('\n') || pastLastPage(page, pages)),
          ...(pages > 1
            ? [actions(...pageButtons(page, pages, more))]
            : []),
          ...(next ? [context(next)] : []),
        ]);
      },
    }),

    show: subcommand({
      description: 'Show a creator\'s card; `touchpoints` lists them all, `history` its changes, newest first, ten a page (`page:2` for older); `share:yes` posts it without personal data.',
      positional: ['who', 'view'],
      namesOne: namesOneCreator({ includeArchived: true }),
      input: z.object({
        who: requiredText('who'),
        view: optional(oneOf('view', ['card', 'history', 'touchpoints'] as const)),
        share: optional(oneOf('share', ['yes', 'no'] as const)),
        page: optional(wholeNumber('page', { min: 1, minMessage: 'page starts at 1' })),
      }),
      examples: ['/influencer show @zoe.creates', '/influencer show "Zoë Tran" history', '/influencer show @zoe.creates touchpoints page:2'],
      async run({ who, view, share, page = 1 }, ctx) {
        const record = await resolve(ctx, who, true);
        if (view === 'touchpoints') return timeline(record, page, ctx);
        if (view === 'history') {
          const { items, total } = await ctx.services.influencers.history(record, { page, pageSize: HISTORY_PAGE_SIZE });
          if (total === 0) return text(`No recorded changes for ${literal(record.name)}.`);
          const tz = ctx.workspace.timezone;
          const pages = Math.ceil(total / HISTORY_PAGE_SIZE);
          const id = String(record._id);
          return reply([
            header(`${literal(record.name)}: changes`),
            para(items.map((change) => historyLine(change, tz)).join('\n') || pastLastPage(page, pages)),
            context(`${total} change${total === 1 ? '' : 's'} · ${pageOf(page, pages)} · newest first · times in ${tz}`),
            ...(pages > 1 ? [actions(...pageButtons(page, pages, (p) => `influencer show ${id} history page:${p}`))] : []),
          ]);
        }
        const [{ active, content }, onTime] = await Promise.all([
          ctx.services.collaborations.forCard(record, ctx.workspace.timezone),
          ctx.services.paymentReports.onTimeRates(ctx.workspace, String(record._id)),
        ]);
        const health = cardHealth(record, content, onTime.creator, ctx.workspace, ctx.now);
        return influencerCard(record, ctx, share === 'yes' ? 'channel' : 'private', undefined, active, onTime, health);
      },
    }),

    edit: subcommand({
      description: 'Change a creator\'s record. With only `<who>`, opens the form prefilled. A blank value clears a field.',
      positional: ['who'],
      namesOne: namesOneCreator(),
      input: editInput,
      examples: ['/influencer edit @zoe.creates', '/influencer edit "Zoë Tran" email:zoe@newmail.com tags:beauty,vegan'],
      async form(args, ctx) {
        if (!onlyKeys(args, 'who') || typeof args.who !== 'string') return undefined;
        const record = await resolve(ctx, args.who);
        return {
          kind: 'form',
          title: `Edit ${record.name}`.slice(0, 24),
          submitLabel: 'Save',
          fields: profileFormFields(record),
          submit: { command: 'influencer', subcommand: 'edit', args: { who: String(record._id) } },
        };
      },
      async run(input, ctx) {
        const record = await resolve(ctx, input.who);
        const { who: _who, handle: _h, network: _n, followers: _f, owner, handles, ...rest } = input;
        const patch: InfluencerPatch = { ...rest, ...(owner ? { ownerId: owner } : {}) };
        if (handles !== undefined) patch.handles = handles ?? [];
        const typed = typedHandle(input);
        if (typed.length > 0) {
          const base = (patch.handles ?? record.handles) as Handle[];
          patch.handles = [...base.filter((h) => !(h.network === typed[0]!.network && h.handle === typed[0]!.handle.replace(/^@/, '').toLowerCase())), ...typed];
        }
        const { record: updated, changes } = await ctx.services.influencers.edit(record, patch, ctx.actor.id);
        const lead =
          changes.length > 0
            ? `Saved *${literal(updated.name)}*: ${describeChanges(changes, ctx.workspace.timezone)}.`
            : `Nothing changed for *${literal(updated.name)}*: every value given is already on the record.`;
        return influencerCard(updated, ctx, 'private', lead);
      },
    }),

    log: subcommand({
      // A day typed (`date:yesterday`) is placed in the workspace's zone; without one it is now.
      decidesDays: (input) => input.date !== undefined,
      description: `Log a touchpoint; it updates last contact. Kinds: ${TOUCHPOINT_KINDS.join(', ')}. From a message in Slack or Discord: its menu's "Log to influencer".`,
      positional: ['who', 'kind', 'summary'],
      namesOne: namesOneCreator(),
      restIsLastPositional: 'text',
      input: z.object({
        who: requiredText('who'),
        kind: touchpointKind,
        summary: requiredText('summary', MAX_SUMMARY),
        date: optional(dateArg('date')),
        at: optional(instantArg('at')),
      }),
      examples: [
        '/influencer log @zoe.creates gift Sent the autumn box',
        '/influencer log "Zoë Tran" call Talked about the spring launch date:2026-11-20',
        '/influencer log @zoe.creates reply Loves the brief at:2026-11-20T09:30:00Z',
      ],
      async form(args, ctx): Promise<Form | undefined> {
        if (args.kind && args.summary) return undefined;
        const record = typeof args.who === 'string' ? await resolve(ctx, args.who) : undefined;
        // From a message: its moment travels with the form instead of a date field.
        const at = typeof args.at === 'string' && args.at.trim() ? args.at.trim() : undefined;
        const fields: FormField[] = [
          ...(record ? [] : [{ name: 'who', label: 'Who (name, @handle or id)', kind: 'text' as const, required: true, suggest: true }]),
          { name: 'kind', label: 'Kind', kind: 'select', required: true, options: selectOptions(TOUCHPOINT_KINDS), initial: typeof args.kind === 'string' ? args.kind : undefined },
          { name: 'summary', label: 'Summary', kind: 'multiline', required: true, initial: typeof args.summary === 'string' ? args.summary : undefined },
          ...(at ? [] : [{ name: 'date', label: 'Date (blank for today)', kind: 'date' as const }]),
        ];
        return {
          kind: 'form',
          title: record ? `Touchpoint: ${record.name}`.slice(0, 24) : 'Log a touchpoint',
          submitLabel: 'Log',
          fields,
          submit: { command: 'influencer', subcommand: 'log', args: { ...(record ? { who: String(record._id) } : {}), ...(at ? { at } : {}) } },
        };
      },
      async run({ who, kind, summary, date: dateInput, at: moment }, ctx) {
        if (dateInput && moment) throw new UserFacingError('Give either date (a day) or at (a moment), not both.', { date: 'either date or at', at: 'either date or at' });
        const today = localDay(ctx.now, ctx.workspace.timezone);
        const date = dateInput ? dayOf(dateInput, ctx) : undefined;
        if (date && date > today) throw new UserFacingError(`date ${date} is in the future: log touchpoints on or before today (${today}).`, { date: 'in the future' });
        if (moment && moment.getTime() > ctx.now.getTime() + CLOCK_SKEW_MS) {
          throw new UserFacingError(`at ${moment.toISOString()} is in the future: log touchpoints that have happened.`, { at: 'in the future' });
        }
        const record = await resolve(ctx, who);
        // A past day is logged at noon in the workspace's timezone, so it stays on that local day.
        const at = moment ?? (date ? atLocalTime(date, '12:00', ctx.workspace.timezone) : ctx.now);
        const updated = await ctx.services.influencers.logTouchpoint(record, { kind, summary, at }, ctx.actor.id);
        const day = localDay(at, ctx.workspace.timezone);
        return reply([
          para(`Logged ${kind} with *${literal(updated.name)}*${day === today ? '' : ` on ${day}`}: ${literal(summary)}`),
          actions(button('Show card', `influencer show ${String(updated._id)}`)),
        ]);
      },
    }),

    stage: subcommand({
      description: `Move a creator to a stage: ${STAGES.join(', ')}.`,
      positional: ['who', 'stage'],
      namesOne: namesOneCreator(),
      input: z.object({ who: requiredText('who'), stage }),
      examples: ['/influencer stage @zoe.creates negotiating'],
      async form(args, ctx) {
        if (args.stage || typeof args.who !== 'string') return undefined;
        const record = await resolve(ctx, args.who);
        return {
          kind: 'form',
          title: 'Change stage',
          submitLabel: 'Move',
          fields: [{ name: 'stage', label: `Stage for ${record.name}`, kind: 'select', required: true, options: selectOptions(STAGES), initial: record.stage }],
          submit: { command: 'influencer', subcommand: 'stage', args: { who: String(record._id) } },
        };
      },
      async run({ who, stage: next }, ctx) {
        const record = await resolve(ctx, who);
        // Also when unchanged: setStage then repairs a reach-out day an earlier failure left stale.
        await ctx.services.influencers.setStage(record, next, ctx.actor.id);
        if (record.stage === next) return text(`${literal(record.name)} is already ${next}.`);
        return text(`Moved *${literal(record.name)}* from ${record.stage} to ${next}.`);
      },
    }),

    archive: subcommand({
      description: 'Archive a creator: they leave find and list, nothing is deleted.',
      positional: ['who'],
      namesOne: namesOneCreator(),
      input: z.object({ who: requiredText('who') }),
      examples: ['/influencer archive @zoe.creates'],
      async run({ who }, ctx) {
        const record = await resolve(ctx, who);
        await ctx.services.influencers.archive(record, ctx.actor.id);
        return reply([
          para(`Archived *${literal(record.name)}*. Nothing was deleted.`),
          actions(button('Undo', `influencer restore ${String(record._id)}`)),
        ]);
      },
    }),

    restore: subcommand({
      description: 'Bring an archived creator back.',
      positional: ['who'],
      namesOne: namesOneCreator({ includeArchived: true }),
      input: z.object({ who: requiredText('who') }),
      examples: ['/influencer restore @zoe.creates'],
      async run({ who }, ctx) {
        const record = await resolve(ctx, who, true);
        if (!record.archivedAt) return text(`${literal(record.name)} is not archived.`);
        await ctx.services.influencers.restore(record, ctx.actor.id);
        return reply([para(`Restored *${literal(record.name)}*.`), actions(button('Show card', `influencer show ${String(record._id)}`))]);
      },
    }),

    forget: subcommand({
      description:
        'Admins: erase a creator\'s personal data everywhere (email, phone, address, birthday, timezone, preferences, notes, touchpoint summaries and those values in the history), ' +
        'and the name and handles unless `keep-name:yes`. Payments keep their amounts; the record is archived. Asks for confirmation first.',
      positional: ['who'],
      input: z.object({
        who: requiredText('who'),
        'keep-name': optional(yesNo('keep-name')),
        confirm: optional(yesNo('confirm')),
      }),
      examples: ['/influencer forget @zoe.creates', '/influencer forget "Zoë Tran" keep-name:yes'],
      async run({ who, 'keep-name': keepName = false, confirm = false }, ctx) {
        if (!(await ctx.actor.isAdmin())) {
          throw new UserFacingError('Sorry, only workspace admins (Slack admins and owners, Discord members with Manage Server) can erase a creator\'s personal data. Nothing was erased.');
        }
        const record = await resolve(ctx, who, true);
        const id = String(record._id);
        const what = `${PERSONAL_FIELDS.join(', ')}, every touchpoint summary and follow-up note, and these values in the change history${keepName ? '' : ', and the name and handles'}`;
        if (!confirm) {
          return reply([
            para(`This erases *${literal(record.name)}*'s ${what}, for good. Payments keep their amounts; the record is archived. Nothing has been erased yet.`),
            actions(button('Erase personal data', `influencer forget ${id} keep-name:${keepName ? 'yes' : 'no'} confirm:yes`, 'danger')),
          ]);
        }
        const result = await ctx.services.influencers.forget(record, keepName ? {} : { replacementName: `Forgotten creator ${id.slice(-6)}` }, ctx.actor.id);
        await ctx.services.nurture.eraseNotes(ctx.workspace.id, record._id, ERASED);
        // A spreadsheet waiting for its Import button may hold the erased values too.
        await ctx.services.imports.discardPending(ctx.workspace.id);
        return text(
          `Erased the personal data of ${keepName ? `*${literal(record.name)}*` : `the creator now called *${literal(result.record.name)}*`}` +
            ` (${result.erased.length > 0 ? result.erased.join(', ') : 'no profile fields were set'}; ${result.touchpoints} touchpoint summar${result.touchpoints === 1 ? 'y' : 'ies'}; ${result.changes} history entr${result.changes === 1 ? 'y' : 'ies'}).` +
            ' The record is archived; its history says who erased it and when.',
        );
      },
    }),

    remind,
    snooze,
    done,

    list: subcommand({
      description: 'List creators by stage and owner, 20 a page; `archived` lists those archived; sort:health worst first.',
      positional: ['stage'],
      input: z.object({
        stage: optional(oneOf('stage', [...STAGES, 'archived'] as const)),
        owner: optional(userRef),
        page: optional(wholeNumber('page', { min: 1, minMessage: 'page starts at 1' })),
        sort: optional(oneOf('sort', ['name', 'health'] as const)),
      }),
      examples: ['/influencer list', '/influencer list active owner:@maria page:2', '/influencer list sort:health', '/influencer list archived'],
      async run({ stage: shown, owner, page = 1, sort }, ctx) {
        const archived = shown === 'archived';
        const onlyStage = archived ? undefined : shown;
        let lines: string[];
        let total: number;
        if (sort === 'health' && !archived) {
          // Health is computed, not stored: every matching creator is scored (three round trips), then paged.
          const scored = [...(await ctx.services.nurture.healthOf({ ...ctx.workspace, cadences: ctx.workspace.cadences ?? {} }, ctx.now, 'all', { stage: onlyStage, ownerId: owner })).values()]
            .sort((a, b) => a.health.score - b.health.score || a.creator.name.localeCompare(b.creator.name) || a.creator.id.localeCompare(b.creator.id));
          total = scored.length;
          lines = scored.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(({ creator, health }) => healthLine(creator, health));
        } else {
          const found = await ctx.services.influencers.list(ctx.workspace.id, { stage: onlyStage, ownerId: owner, archived, page, pageSize: PAGE_SIZE });
          total = found.total;
          lines = found.items.map(listLine);
        }
        const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
        const owned = owner ? ` owned by ${mention(owner)}` : '';
        const kind = shown ? `${shown} ` : '';
        if (total === 0) return text(archived ? `No archived creators${owned}.` : `No ${kind}creators${owned} yet. Add one with \`/influencer add\`.`);
        const more = `influencer list${shown ? ` ${shown}` : ''}${owner ? ` owner:${owner}` : ''}${sort === 'health' ? ' sort:health' : ''}`;
        return reply([
          para(`${total} ${kind}creator${total === 1 ? '' : 's'}${owned}${sort === 'health' ? ', worst health first' : ''} · ${pageOf(page, pages)}`),
          para(lines.join('\n') || pastLastPage(page, pages)),
          ...(pages > 1
            ? [
                actions(...pageButtons(page, pages, (p) => `${more} page:${p}`)),
              ]
            : []),
          context(
            archived
              ? '`/influencer restore <who>` brings one back; `/influencer show <who>` shows the card.'
              : 'Archived creators are not listed: `/influencer list archived` shows them.',
          ),
        ]);
      },
    }),
  },
});

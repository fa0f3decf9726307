import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import latePayments, { MAX_LISTED, latePaymentsPost } from '../../jobs/late-payments.job';
import { literal, startOfLocalDay, toPlainText, type JobWorkspace } from '../../src/core';
import { renderReply as renderDiscord } from '../../src/platforms/discord/render-discord';
import { renderReply as renderSlack } from '../../src/platforms/slack/render-block-kit';
import { sumByCurrency } from '../../src/domain/money';
import type { OpenPayments } from '../../src/domain/payment/payment-reports';
import type { PaymentView } from '../../src/domain/payment/payment-views';

const TZ = 'Europe/Paris';
const NOW = new Date('2026-11-23T08:00:00Z'); // 09:00 in Paris

function view(overrides: Partial<PaymentView> & { due: string; id?: string }): PaymentView {
  const { due, id, ...rest } = overrides;
  return {
    _id: new Types.ObjectId(id ?? '65f0c0ffee0000000000aaaa'),
    influencerName: 'Zoë Tran',
    collaborationTitle: 'Spring launch',
    amountMinor: 150_000,
    currency: 'USD',
    ownerId: 'U0MARIA',
    status: 'scheduled',
    dueAt: startOfLocalDay(due, TZ),
    ...rest,
  } as PaymentView;
}
const late = (daysLate: number, overrides: Parameters<typeof view>[0]) => ({ ...view(overrides), daysLate });
/** What the service answers when all of them fit in the listing. */
const all = <T extends PaymentView>(items: T[], count = items.length): OpenPayments<T> => ({ items, count, totals: sumByCurrency(items) });
const nothing = all([]);

describe('latePaymentsPost', () => {
  it('GIVEN a late payment whose creator and collaboration were removed since THEN its line says so instead of blank names', () => {
    const post = latePaymentsPost({ late: all([late(3, { due: '2026-11-20', influencerName: '', collaborationTitle: '' })]), dueSoon: nothing }, { now: NOW, timezone: TZ, warnDays: 3 });
    expect(post.blocks.filter((b) => b.type === 'item').map((b) => [b.text, b.label])).toEqual([
      [`• *${literal('A removed creator')}* · ${literal('A removed collaboration')} · $1,500.00 · due Nov 20 · *3 days late* · owner pinged on day 1, next on day 7`, 'A removed creator · $1,500.00 · Nov 20'],
    ]);
  });

  it('GIVEN one late and one due soon THEN the exact post: lines, Mark paid buttons, totals per currency, the owner pinged on day 1 only', () => {
    const post = latePaymentsPost(
      {
        late: all([late(1, { due: '2026-11-22', id: '65f0c0ffee0000000000aaaa' })]),
        dueSoon: all([view({ due: '2026-11-24', id: '65f0c0ffee0000000000bbbb', influencerName: 'Li Wei', collaborationTitle: 'Winter box', amountMinor: 80_000, currency: 'EUR', ownerId: 'U0LI' })]),
      },
      { now: NOW, timezone: TZ, warnDays: 3 },
    );
    expect(post).toEqual({
      kind: 'reply',
      visibility: 'channel',
      notify: ['U0MARIA'],
      blocks: [
        { type: 'header', text: 'Payments: 1 late, 1 due soon' },
        { type: 'text', text: '*Late* · $1,500.00' },
        {
          type: 'item',
          text: `• *${literal('Zoë Tran')}* · ${literal('Spring launch')} · $1,500.00 · due Nov 22 · *1 day late* · owner <@U0MARIA>`,
          label: 'Zoë Tran · $1,500.00 · Nov 22',
          buttons: [{ label: 'Mark paid', line: 'payment paid 65f0c0ffee0000000000aaaa', style: 'primary' }],
        },
        { type: 'text', text: '*Due within 3 days* · €800.00' },
        {
          type: 'item',
          text: `• *${literal('Li Wei')}* · ${literal('Winter box')} · €800.00 · due tomorrow (Nov 24)`,
          label: 'Li Wei · €800.00 · Nov 24',
          buttons: [{ label: 'Mark paid', line: 'payment paid 65f0c0ffee0000000000bbbb', style: 'primary' }],
        },
        {
          type: 'context',
          text: 'Totals are per currency. Only payment managers can mark payments paid. Owners are pinged on the first late day, at 7 and 14 days, then weekly; `/payment list` names each owner, only to you.',
        },
      ],
    });
  });

  it.each([
    [1, 'owner <@U0MARIA>'],
    [2, 'owner pinged on day 1, next on day 7'],
    [6, 'owner pinged on day 1, next on day 7'],
    [7, 'owner <@U0MARIA>'],
    [8, 'owner pinged on day 7, next on day 14'],
    [14, 'owner <@U0MARIA>'],
    [20, 'owner pinged on day 14, next on day 21'],
    [21, 'owner <@U0MARIA>'],
    [28, 'owner <@U0MARIA>'],
    [30, 'owner pinged on day 28, next on day 35'],
  ])('GIVEN %i days late THEN the line ends with "%s": a ping only on ping days, never a raw id', (days, owner) => {
    const post = latePaymentsPost({ late: all([late(days, { due: '2026-11-01' })]), dueSoon: nothing }, { now: NOW, timezone: TZ, warnDays: 3 });
    const line = post.blocks.find((b) => b.type === 'item');
    expect(line?.type === 'item' && line.text).toBe(`• *${literal('Zoë Tran')}* · ${literal('Spring launch')} · $1,500.00 · due Nov 1 · *${days} day${days === 1 ? '' : 's'} late* · ${owner}`);
    expect(post.notify).toEqual(owner.includes('<@') ? ['U0MARIA'] : undefined);
    // Not a ping day: the owner's raw id appears nowhere, not even as `@U0MARIA` text.
    if (!owner.includes('<@')) expect(JSON.stringify(post)).not.toContain('U0MARIA');
  });

  it('GIVEN only payments due soon THEN no owner is named or pinged, and the footer says when owners are pinged and where to see them', () => {
    const post = latePaymentsPost({ late: nothing, dueSoon: all([view({ due: '2026-11-25' })]) }, { now: NOW, timezone: TZ, warnDays: 3 });
    expect(JSON.stringify(post)).not.toContain('U0MARIA');
    expect(toPlainText(post)).toBe(
      [
        '== Payments: 1 due soon ==',
        'Due within 3 days · $1,500.00',
        '• Zoë Tran · Spring launch · $1,500.00 · due in 2 days (Nov 25)  [Mark paid: payment paid 65f0c0ffee0000000000aaaa]',
        'Totals are per currency. Only payment managers can mark payments paid. Owners are pinged on the first late day, at 7 and 14 days, then weekly; `/payment list` names each owner, only to you.',
      ].join('\n'),
    );
  });

  it('GIVEN every late payment pinged today THEN the footer does not explain pings', () => {
    const post = latePaymentsPost({ late: all([late(7, { due: '2026-11-16' })]), dueSoon: nothing }, { now: NOW, timezone: TZ, warnDays: 3 });
    expect(post.blocks.at(-1)).toEqual({ type: 'context', text: 'Totals are per currency. Only payment managers can mark payments paid.' });
  });

  it('GIVEN late amounts in two currencies THEN two totals, never one sum', () => {
    const post = latePaymentsPost(
      { late: all([late(3, { due: '2026-11-20' }), late(2, { due: '2026-11-21', amountMinor: 5_000, currency: 'EUR' }), late(2, { due: '2026-11-21', amountMinor: 2_500 })]), dueSoon: nothing },
      { now: NOW, timezone: TZ, warnDays: 3 },
    );
    expect(post.blocks[1]).toEqual({ type: 'text', text: '*Late* · €50.00 · $1,525.00' });
  });

  it('GIVEN more payments than a message holds THEN the first are listed and the rest pointed to', () => {
    // The service sends the first MAX_LISTED with the count of all.
    const first = Array.from({ length: MAX_LISTED }, (_, i) => late(2, { due: '2026-11-21', id: `65f0c0ffee00000000${String(i).padStart(6, '0')}` }));
    const post = latePaymentsPost({ late: all(first, MAX_LISTED + 5), dueSoon: nothing }, { now: NOW, timezone: TZ, warnDays: 3 });
    expect(post.blocks.filter((b) => b.type === 'item')).toHaveLength(MAX_LISTED);
    expect(post.blocks.length).toBeLessThanOrEqual(50);
    expect(post.blocks.at(-1)).toEqual({
      type: 'context',
      text: 'And 5 more: `/payment list`. Totals are per currency. Only payment managers can mark payments paid. Owners are pinged on the first late day, at 7 and 14 days, then weekly; `/payment list` names each owner, only to you.',
    });
  });
});

describe('the late-payments post as each platform shows it', () => {
  const MARIA = '1500000000000000001';
  const SAM = '1500000000000000002';
  const post = () =>
    latePaymentsPost(
      {
        late: all([
          late(7, { due: '2026-11-16', id: '65f0c0ffee0000000000aaaa', ownerId: MARIA, collaborationTitle: '[Pay here](https://evil.example)' }),
          late(3, { due: '2026-11-20', id: '65f0c0ffee0000000000bbbb', ownerId: SAM, influencerName: 'Noah **Kim**', amountMinor: 20_000 }),
        ]),
        dueSoon: all([view({ due: '2026-11-24', id: '65f0c0ffee0000000000cccc', influencerName: 'Li Wei', amountMinor: 80_000, currency: 'EUR', ownerId: SAM })]),
      },
      { now: NOW, timezone: TZ, warnDays: 3 },
    );

  it('GIVEN an owner on a ping day WHEN rendered for Discord THEN the mention is in content, allowed_mentions names exactly them, and each button says which payment it pays', () => {
    const rendered = renderDiscord(post());
    expect(rendered.content).toBe(`<@${MARIA}>`);
    expect(rendered.allowed_mentions).toEqual({ parse: [], users: [MARIA] });
    expect(rendered.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Mark paid: Zoë Tran · $1,500.00 · Nov 16', custom_id: 'run:payment paid 65f0c0ffee0000000000aaaa' },
          { type: 2, style: 1, label: 'Mark paid: Noah **Kim** · $200.00 · Nov 20', custom_id: 'run:payment paid 65f0c0ffee0000000000bbbb' },
          { type: 2, style: 1, label: 'Mark paid: Li Wei · €800.00 · Nov 24', custom_id: 'run:payment paid 65f0c0ffee0000000000cccc' },
        ],
      },
    ]);
    expect(rendered.embeds[0]?.description).toBe(
      [
        '**Late** · $1,700.00',
        `• **Zoë Tran** · \\[Pay here\\]\\(https://evil.example\\) · $1,500.00 · due Nov 16 · **7 days late** · owner <@${MARIA}>`,
        '• **Noah \\*\\*Kim\\*\\*** · Spring launch · $200.00 · due Nov 20 · **3 days late** · owner pinged on day 1, next on day 7',
        '**Due within 3 days** · €800.00',
        '• **Li Wei** · Spring launch · €800.00 · due tomorrow (Nov 24)',
      ].join('\n\n'),
    );
  });

  it('WHEN rendered for Slack THEN each payment is one section with its own Mark paid button', () => {
    const blocks = renderSlack(post()).blocks;
    expect(blocks.filter((b) => b.type === 'section' && 'accessory' in b).map((b: any) => [b.text.text.split(' · ')[0], b.accessory.value])).toEqual([
      ['• *Zoë Tran*', 'payment paid 65f0c0ffee0000000000aaaa'],
      ['• *Noah **Kim***', 'payment paid 65f0c0ffee0000000000bbbb'],
      ['• *Li Wei*', 'payment paid 65f0c0ffee0000000000cccc'],
    ]);
  });
});

describe('the late-payments job', () => {
  const workspace: JobWorkspace = {
    id: '65f0c0ffee0000000000cccc',
    platform: 'slack',
    externalId: 'T1',
    timezone: TZ,
    currency: 'EUR',
    settings: { channels: { payments: 'C0PAY' }, warnBeforeDueDays: 3, postingTime: '09:00', paymentManagers: [], staleAfterDays: 30, cadences: {} },
  };
  const period = { kind: 'daily' as const, key: '2026-11-23', startsAt: NOW, endsAt: NOW, runAt: NOW };

  it('GIVEN nothing due or late THEN no post', async () => {
    const services = { paymentReports: { dueAndLate: async () => ({ late: nothing, dueSoon: nothing }) } } as never;
    expect(await latePayments.run(workspace, period, { services, now: NOW, logger: console })).toEqual([]);
  });

  it('GIVEN something late THEN one post for the payments channel, asked with the workspace window', async () => {
    const asked: unknown[] = [];
    const services = {
      paymentReports: {
        dueAndLate: async (...args: unknown[]) => {
          asked.push(args);
          return { late: all([late(1, { due: '2026-11-22' })]), dueSoon: nothing };
        },
      },
    } as never;
    const posts = await latePayments.run(workspace, period, { services, now: NOW, logger: console });
    expect(posts.map((p) => ['channel' in p ? p.channel : p.user, p.reply.visibility])).toEqual([['payments', 'channel']]);
    expect(asked).toEqual([[{ id: workspace.id, timezone: TZ, warnBeforeDueDays: 3 }, NOW, MAX_LISTED]]);
    expect(latePayments.schedule).toEqual({ kind: 'daily', at: 'posting-time' });
  });
});

import { describe, expect, it } from 'vitest';
import { actions, button, file, header, item, literal, mention, notifying, para, reply, toPlainText } from '../../src/core';
import { renderReply as renderDiscord } from '../../src/platforms/discord/render-discord';
import { renderReply as renderSlack } from '../../src/platforms/slack/render-block-kit';

const MARIA = '1500000000000000001';
const SAM = '1500000000000000002';

describe('GIVEN an item block (a line with its own button)', () => {
  const payments = (count: number) =>
    reply(
      [
        header('Payments: 2 late'),
        ...Array.from({ length: count }, (_, i) =>
          item(`• *${literal(`Creator ${i}`)}* · $50${i}`, `Creator ${i} · $50${i}`, button('Mark paid', `payment paid p${i}`, 'primary')),
        ),
      ],
      'channel',
    );

  it('WHEN rendered for Slack THEN one section per line with its button as accessory', () => {
    expect(renderSlack(payments(2)).blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Payments: 2 late', emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '• *Creator 0* · $500' },
        accessory: { type: 'button', action_id: 'irm:run:0', text: { type: 'plain_text', text: 'Mark paid', emoji: true }, value: 'payment paid p0', style: 'primary' },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '• *Creator 1* · $501' },
        accessory: { type: 'button', action_id: 'irm:run:1', text: { type: 'plain_text', text: 'Mark paid', emoji: true }, value: 'payment paid p1', style: 'primary' },
      },
    ]);
  });

  it('WHEN an item has several buttons on Slack THEN they are an overflow menu beside the line', () => {
    const rendered = renderSlack(reply([item('Zoë', 'Zoë', button('Log', 'influencer log z1'), button('Archive', 'influencer archive z1'))]));
    expect(rendered.blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'Zoë' },
        accessory: {
          type: 'overflow',
          action_id: 'irm:run:0',
          options: [
            { text: { type: 'plain_text', text: 'Log', emoji: true }, value: 'influencer log z1' },
            { text: { type: 'plain_text', text: 'Archive', emoji: true }, value: 'influencer archive z1' },
          ],
        },
      },
    ]);
  });

  it('WHEN rendered for Discord THEN each button says which item it acts on', () => {
    const rendered = renderDiscord(payments(2));
    expect(rendered.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: 'Mark paid: Creator 0 · $500', custom_id: 'run:payment paid p0' },
          { type: 2, style: 1, label: 'Mark paid: Creator 1 · $501', custom_id: 'run:payment paid p1' },
        ],
      },
    ]);
    expect(rendered.embeds[0]?.description).toBe('• **Creator 0** · $500\n\n• **Creator 1** · $501');
  });

  it('WHEN more items than 25 buttons on Discord THEN menus naming each item, within five rows', () => {
    const rendered = renderDiscord({ ...payments(30), blocks: [...payments(30).blocks, actions(button('List', 'payment list'))] });
    expect(rendered.components).toHaveLength(3);
    expect(rendered.components[0]).toEqual({ type: 1, components: [{ type: 2, style: 2, label: 'List', custom_id: 'run:payment list' }] });
    const menus = rendered.components.slice(1).map((row) => row.components[0] as any);
    expect(menus.map((m) => [m.type, m.custom_id, m.placeholder, m.options.length])).toEqual([
      [3, 'pick:0', 'Mark paid…', 25],
      [3, 'pick:1', 'Mark paid…', 5],
    ]);
    expect(menus[0].options[3]).toEqual({ label: 'Creator 3 · $503', value: 'payment paid p3' });
  });

  it('WHEN shown as plain text (console) THEN the line then its button', () => {
    expect(toPlainText(payments(1))).toBe('== Payments: 2 late ==\n• Creator 0 · $500  [Mark paid: payment paid p0]');
  });
});

describe('GIVEN text a person typed, marked with literal()', () => {
  const title = '[Pay here](https://evil.example) **now** <@1500000000000000002> @everyone `x` <!channel> & <b>';
  const answer = reply([header(`Collab ${literal('_Spring_')}`), para(`*${literal(title)}* by ${mention(MARIA)}`)], 'channel');

  it('WHEN rendered for Discord THEN no masked link, no markup and no live mention from it; our own mention stays', () => {
    const rendered = renderDiscord(answer);
    expect(rendered.embeds[0]).toEqual({
      title: 'Collab \\_Spring\\_',
      description:
        '**\\[Pay here\\]\\(https://evil.example\\) \\*\\*now\\*\\* \\<@1500000000000000002\\> @\u200beveryone \\`x\\` \\<!channel\\> & \\<b\\>** by <@1500000000000000001>',
    });
    expect(rendered.allowed_mentions).toEqual({ parse: [] });
  });

  it('WHEN rendered for Slack THEN &, < and > are escaped in it, so it is neither a link nor a mention', () => {
    const rendered = renderSlack(answer);
    expect(rendered.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Collab _Spring_', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          // Slack has no silent mention: in a channel post, someone the reply does not notify is named, not mentioned.
          text: '*[Pay here](https://evil.example) **now** &lt;@1500000000000000002&gt; @everyone `x` &lt;!channel&gt; &amp; &lt;b&gt;* by @1500000000000000001',
        },
      },
    ]);
    expect(rendered.text).toBe(
      '== Collab _Spring_ ==\n[Pay here](https://evil.example) **now** &lt;@1500000000000000002&gt; @everyone `x` &lt;!channel&gt; &amp; &lt;b&gt; by @1500000000000000001',
    );
  });

  it('WHEN shown on the console THEN exactly as typed', () => {
    expect(toPlainText(answer)).toBe(`== Collab _Spring_ ==\n${title} by @${MARIA}`);
  });

  it('WHEN it holds a bare web link THEN Discord gets the link as typed (a backslash would land in the address), the text around it escaped', () => {
    const typed = 'see https://shop.example.com/p/zoe_15-x?a=1&b=_2_ for **more**, or [this](https://evil.example/a_b)';
    expect(renderDiscord(reply([para(`Link: ${literal(typed)}`)])).content).toBe(
      'Link: see https://shop.example.com/p/zoe_15-x?a=1&b=_2_ for \\*\\*more\\*\\*, or \\[this\\]\\(https://evil.example/a_b\\)',
    );
  });

  it('WHEN typed text carries the marks itself THEN it cannot open or close a span', () => {
    const forged = `\uE001<@${SAM}>\uE000`;
    expect(renderDiscord(reply([para(`Hi ${literal(forged)}`)])).content).toBe(`Hi \\<@${SAM}\\>`);
  });
});

describe('GIVEN a channel post that notifies an owner', () => {
  const post = notifying(reply([header('Payments: 1 late'), para(`• Zoë · owner ${mention(MARIA)}`)], 'channel'), [MARIA, MARIA]);

  it('WHEN rendered for Discord THEN the mention is in content and allowed_mentions names exactly that user', () => {
    const rendered = renderDiscord(post);
    expect(rendered.content).toBe(`<@${MARIA}>`);
    expect(rendered.allowed_mentions).toEqual({ parse: [], users: [MARIA] });
  });

  it('WHEN the same reply is private THEN nobody is pinged', () => {
    const rendered = renderDiscord({ ...post, visibility: 'private' });
    expect(rendered.content).toBeUndefined();
    expect(rendered.allowed_mentions).toEqual({ parse: [] });
  });

  it('WHEN a notified id is not a Discord user id (a role, everyone) THEN it is not allowed', () => {
    expect(renderDiscord(notifying(reply([para('x')], 'channel'), ['&123', 'everyone'])).allowed_mentions).toEqual({ parse: [] });
  });
});

describe('GIVEN a reply with a file', () => {
  const csv = { ...reply([para('Your export.')]), files: [file('payments.csv', 'text/csv', 'a,b\n1,2\n')] };

  it('WHEN rendered for Discord THEN the message lists it as attachment 0', () => {
    expect(renderDiscord(csv).attachments).toEqual([{ id: 0, filename: 'payments.csv' }]);
  });

  it('THEN the bytes are the text encoded', () => {
    expect(Buffer.from(csv.files[0]!.bytes).toString('utf8')).toBe('a,b\n1,2\n');
  });
});

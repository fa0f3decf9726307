import { describe, expect, it } from 'vitest';
import { actions, button, context, divider, fields, header, para, reply, type Form } from '../../../src/core';
import {
  MAX_ACTIONS_ELEMENTS,
  MAX_HEADER_LENGTH,
  MAX_MESSAGE_BLOCKS,
  MAX_SECTION_FIELD_LENGTH,
  MAX_SECTION_TEXT_LENGTH,
  escapeText,
  readViewValues,
  renderModal,
  renderReply,
  truncate,
  viewErrors,
} from '../../../src/platforms/slack/render-block-kit';

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const md = (text: string) => ({ type: 'mrkdwn', text });

describe('renderReply', () => {
  it('GIVEN a private card THEN header, fields, context and buttons become exact Block Kit with a plain-text fallback', () => {
    const card = reply([
      para('Added *Zoë Tran*.'),
      header('Zoë Tran'),
      fields([
        ['Stage', 'prospect'],
        ['Owner', '<@U0MARIA>'],
        ['Handles', 'instagram @zoe.creates · 12.5k'],
        ['Tags', undefined],
      ]),
      context('Only you can see the details below.'),
      fields([['Email', 'zoe@example.com']]),
      divider(),
      actions(button('Log touchpoint', 'influencer log 65f0', 'primary'), button('Archive', 'influencer archive 65f0', 'danger'), button('Share in channel', 'influencer show 65f0 share:yes')),
      context('id 65f0'),
    ]);

    expect(renderReply(card)).toEqual({
      text: [
        'Added Zoë Tran.',
        '== Zoë Tran ==',
        'Stage: prospect',
        'Owner: @U0MARIA',
        'Handles: instagram @zoe.creates · 12.5k',
        'Only you can see the details below.',
        'Email: zoe@example.com',
        '---',
        '[Log touchpoint: influencer log 65f0]  [Archive: influencer archive 65f0]  [Share in channel: influencer show 65f0 share:yes]',
        'id 65f0',
      ].join('\n'),
      blocks: [
        { type: 'section', text: md('Added *Zoë Tran*.') },
        { type: 'header', text: plain('Zoë Tran') },
        {
          type: 'section',
          fields: [md('*Stage*\nprospect'), md('*Owner*\n<@U0MARIA>'), md('*Handles*\ninstagram @zoe.creates · 12.5k')],
        },
        { type: 'context', elements: [md('Only you can see the details below.')] },
        { type: 'section', fields: [md('*Email*\nzoe@example.com')] },
        { type: 'divider' },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'irm:run:0', text: plain('Log touchpoint'), value: 'influencer log 65f0', style: 'primary' },
            { type: 'button', action_id: 'irm:run:1', text: plain('Archive'), value: 'influencer archive 65f0', style: 'danger' },
            { type: 'button', action_id: 'irm:run:2', text: plain('Share in channel'), value: 'influencer show 65f0 share:yes' },
          ],
        },
        { type: 'context', elements: [md('id 65f0')] },
      ],
    });
  });

  it('GIVEN user text with <, > and & THEN it is escaped, while <@U…> and <#C…> mentions pass through unchanged', () => {
    const { blocks, text } = renderReply(reply([para('<@U0MARIA> & <@W0BOB|bob> met <!channel> at <https://evil.example|click>')]));
    expect(blocks).toEqual([{ type: 'section', text: md('<@U0MARIA> &amp; <@W0BOB|bob> met &lt;!channel&gt; at &lt;https://evil.example|click&gt;') }]);
    expect(renderReply(reply([para('Digest channel: <#C0DIGEST>')])).blocks).toEqual([{ type: 'section', text: md('Digest channel: <#C0DIGEST>') }]);
    // toPlainText (core) spells plain `<@U…>` mentions as @U…; a labelled one stays a mention.
    expect(text).toBe('@U0MARIA &amp; <@W0BOB|bob> met &lt;!channel&gt; at &lt;https://evil.example|click&gt;');
  });

  it('GIVEN text longer than a section holds THEN it is cut with an ellipsis at the limit', () => {
    const { blocks } = renderReply(reply([para('a'.repeat(5000)), header('H'.repeat(400))]));
    expect(blocks).toEqual([
      { type: 'section', text: md(`${'a'.repeat(MAX_SECTION_TEXT_LENGTH - 1)}…`) },
      { type: 'header', text: plain(`${'H'.repeat(MAX_HEADER_LENGTH - 1)}…`) },
    ]);
  });

  it('GIVEN more than 10 fields, one of them too long THEN sections of 10 and a field cut to 2000 characters', () => {
    const entries = Array.from({ length: 23 }, (_, i): [string, string] => [`F${i}`, i === 22 ? 'x'.repeat(2500) : `v${i}`]);
    const { blocks } = renderReply(reply([fields(entries)]));
    expect(blocks.map((b: any) => b.fields.length)).toEqual([10, 10, 3]);
    expect((blocks[0] as any).fields[0]).toEqual(md('*F0*\nv0'));
    expect((blocks[2] as any).fields[2].text).toHaveLength(MAX_SECTION_FIELD_LENGTH);
    expect((blocks[2] as any).fields[2].text).toBe(`*F22*\n${'x'.repeat(MAX_SECTION_FIELD_LENGTH - '*F22*\n'.length - 1)}…`);
  });

  it('GIVEN more than 25 buttons THEN several actions blocks, with action ids unique across the message', () => {
    const many = Array.from({ length: 30 }, (_, i) => button(`B${i}`, `influencer show ${i}`));
    const { blocks } = renderReply(reply([actions(...many.slice(0, 2)), actions(...many.slice(2))]));
    expect(blocks.map((b: any) => b.elements.length)).toEqual([2, MAX_ACTIONS_ELEMENTS, 3]);
    const ids = blocks.flatMap((b: any) => b.elements.map((e: any) => e.action_id));
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => `irm:run:${i}`));
  });

  it('GIVEN a long button label or a line too long to carry THEN the label is cut and the button left out', () => {
    const { blocks } = renderReply(reply([actions(button('L'.repeat(100), 'influencer help'), button('Too long', `influencer find ${'q'.repeat(2000)}`))]));
    expect(blocks).toEqual([{ type: 'actions', elements: [{ type: 'button', action_id: 'irm:run:0', text: plain(`${'L'.repeat(74)}…`), value: 'influencer help' }] }]);
  });

  it('GIVEN more blocks than a message takes THEN the last one says how many are not shown', () => {
    const { blocks } = renderReply(reply(Array.from({ length: 60 }, (_, i) => para(`line ${i}`))));
    expect(blocks).toHaveLength(MAX_MESSAGE_BLOCKS);
    expect(blocks[MAX_MESSAGE_BLOCKS - 1]).toEqual({ type: 'context', elements: [md('11 more blocks not shown.')] });
  });

  it('GIVEN empty text, header, fields or actions THEN no empty block is sent (Slack refuses them)', () => {
    expect(renderReply(reply([para(' '), header(''), fields([['A', undefined]]), actions()])).blocks).toEqual([]);
  });
});

describe('renderModal', () => {
  const form: Form = {
    kind: 'form',
    title: 'Edit a creator with a very long name',
    submitLabel: 'Save',
    fields: [
      { name: 'name', label: 'Name', kind: 'text', required: true, initial: 'Zoë Tran' },
      { name: 'handles', label: 'Handles (one per line)', kind: 'multiline', placeholder: 'instagram @zoe.creates 12500', hint: 'network @handle followers' },
      { name: 'stage', label: 'Stage', kind: 'select', options: [{ value: 'prospect', label: 'prospect' }, { value: 'active', label: 'active' }], initial: 'active' },
      { name: 'date', label: 'Date', kind: 'date', initial: '2026-02-30' },
      { name: 'since', label: 'Since', kind: 'date', initial: '2026-02-28' },
      { name: 'followers', label: 'Followers', kind: 'number', initial: '12500' },
      { name: 'owner', label: 'Owner', kind: 'user', initial: '<@U0MARIA>' },
      { name: 'notes', label: 'Notes', kind: 'multiline', initial: 'n'.repeat(3001) },
    ],
    submit: { command: 'influencer', subcommand: 'edit', args: { who: '65f0' } },
  };

  it('GIVEN a form THEN a modal with one input block per field, keyed by field name', () => {
    expect(renderModal(form, '{"submit":{}}')).toEqual({
      type: 'modal',
      callback_id: 'irm:form',
      title: plain('Edit a creator with a v…'),
      submit: plain('Save'),
      close: plain('Cancel'),
      private_metadata: '{"submit":{}}',
      blocks: [
        { type: 'input', block_id: 'name', optional: false, label: plain('Name'), element: { type: 'plain_text_input', action_id: 'value', initial_value: 'Zoë Tran' } },
        {
          type: 'input',
          block_id: 'handles',
          optional: true,
          label: plain('Handles (one per line)'),
          hint: plain('network @handle followers'),
          element: { type: 'plain_text_input', action_id: 'value', multiline: true, placeholder: plain('instagram @zoe.creates 12500') },
        },
        {
          type: 'input',
          block_id: 'stage',
          optional: true,
          label: plain('Stage'),
          element: {
            type: 'static_select',
            action_id: 'value',
            options: [
              { text: plain('prospect'), value: 'prospect' },
              { text: plain('active'), value: 'active' },
            ],
            initial_option: { text: plain('active'), value: 'active' },
          },
        },
        // February 30th does not exist: no initial date rather than a modal Slack refuses.
        { type: 'input', block_id: 'date', optional: true, label: plain('Date'), element: { type: 'datepicker', action_id: 'value' } },
        { type: 'input', block_id: 'since', optional: true, label: plain('Since'), element: { type: 'datepicker', action_id: 'value', initial_date: '2026-02-28' } },
        {
          type: 'input',
          block_id: 'followers',
          optional: true,
          label: plain('Followers'),
          element: { type: 'number_input', action_id: 'value', is_decimal_allowed: false, initial_value: '12500' },
        },
        { type: 'input', block_id: 'owner', optional: true, label: plain('Owner'), element: { type: 'users_select', action_id: 'value', initial_user: 'U0MARIA' } },
        {
          type: 'context',
          elements: [md('*Notes* is longer than a Slack form can hold; change it with `/influencer edit … notes:"…"`.')],
        },
      ],
    });
  });

  it('GIVEN private metadata over 3000 characters THEN it refuses to build a modal Slack would reject', () => {
    expect(() => renderModal(form, 'x'.repeat(3001))).toThrow(RangeError);
  });
});

describe('readViewValues', () => {
  it('GIVEN the state of every element kind THEN one string per block, blank as ""', () => {
    expect(
      readViewValues({
        name: { value: { type: 'plain_text_input', value: 'Zoë' } },
        email: { value: { type: 'plain_text_input', value: null } },
        stage: { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'active' }, value: 'active' } } },
        kind: { value: { type: 'static_select', selected_option: null } },
        date: { value: { type: 'datepicker', selected_date: '2026-11-20' } },
        followers: { value: { type: 'number_input', value: '12500' } },
        owner: { value: { type: 'users_select', selected_user: 'U0MARIA' } },
      }),
    ).toEqual({ name: 'Zoë', email: '', stage: 'active', kind: '', date: '2026-11-20', followers: '12500', owner: 'U0MARIA' });
  });
});

describe('viewErrors', () => {
  const blocks = ['name', 'handles', 'email'];

  it('GIVEN errors for fields in the modal THEN keyed by their block ids', () => {
    expect(viewErrors(blocks, { email: 'email must be an address like name@example.com' }, 'ignored')).toEqual({
      email: 'email must be an address like name@example.com',
    });
  });

  it('GIVEN errors only for arguments that are not blocks THEN the whole message goes under the first block', () => {
    expect(viewErrors(blocks, { handle: 'already taken' }, 'instagram @zoe already belongs to Zoë Tran.')).toEqual({
      name: 'instagram @zoe already belongs to Zoë Tran.',
    });
  });

  it('GIVEN a mix THEN the others are listed under the first block', () => {
    expect(viewErrors(blocks, { email: 'bad', network: 'network is needed' }, 'ignored')).toEqual({ email: 'bad', name: 'network: network is needed' });
  });
});

describe('escaping and truncation', () => {
  it('never cuts through an escape or a mention', () => {
    expect(truncate(escapeText('ab & cd'), 8, true)).toBe('ab …');
    expect(truncate('hi <@U0MARIA>', 10, true)).toBe('hi …');
    expect(truncate('emoji 😀😀', 8)).toBe('emoji …');
  });
});

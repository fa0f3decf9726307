import { describe, expect, it, vi } from 'vitest';
import influencer from '../../../commands/influencer.command';
import {
  actions,
  button,
  context,
  fields,
  header,
  mention,
  para,
  reply,
  text,
  type CommandContext,
  type Form,
} from '../../../src/core';
import {
  FormTooLargeError,
  MAX_EMBED_TOTAL_LENGTH,
  decodeFormId,
  encodeFormId,
  readModalValues,
  renderModal,
  renderReply,
  toDiscordMarkdown,
} from '../../../src/platforms/discord/render-discord';

const ID = '65f0c0ffee0000000000abcd';
const MARIA = '1500000000000000001';

describe('renderReply', () => {
  it('GIVEN the private influencer card WHEN rendered THEN one embed, lead line as content, details after a separator, buttons in a row', () => {
    const card = reply([
      para(`Added *Zoë Tran*.`),
      header('Zoë Tran'),
      fields([
        ['Stage', 'active'],
        ['Owner', mention(MARIA)],
        ['Handles', 'instagram @zoe.creates · 12.5k\ntiktok @zoe · 3k'],
        ['Tags', 'beauty, skincare'],
        ['Last contact', `12 days ago - gift, by ${mention(MARIA)}`],
      ]),
      context('Only you can see the details below.'),
      fields([
        ['Email', 'zoe@example.com'],
        ['Preferences', 'Size S; *no* nuts'],
      ]),
      actions(
        button('Log touchpoint', `influencer log ${ID}`, 'primary'),
        button('Edit', `influencer edit ${ID}`),
        button('Change stage', `influencer stage ${ID}`),
        button('Archive', `influencer archive ${ID}`, 'danger'),
        button('Share in channel', `influencer show ${ID} share:yes`),
      ),
      context(`id ${ID}`),
    ]);

    expect(renderReply(card)).toEqual({
      content: 'Added **Zoë Tran**.',
      embeds: [
        {
          title: 'Zoë Tran',
          fields: [
            { name: 'Stage', value: 'active', inline: true },
            { name: 'Owner', value: `<@${MARIA}>`, inline: true },
            { name: 'Handles', value: 'instagram @zoe.creates · 12.5k\ntiktok @zoe · 3k', inline: true },
            { name: 'Tags', value: 'beauty, skincare', inline: true },
            { name: 'Last contact', value: `12 days ago - gift, by <@${MARIA}>`, inline: true },
            { name: '\u200b', value: '*Only you can see the details below.*', inline: false },
            { name: 'Email', value: 'zoe@example.com', inline: true },
            { name: 'Preferences', value: 'Size S; **no** nuts', inline: true },
          ],
          footer: { text: `id ${ID}` },
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, label: 'Log touchpoint', custom_id: `run:influencer log ${ID}` },
            { type: 2, style: 2, label: 'Edit', custom_id: `run:influencer edit ${ID}` },
            { type: 2, style: 2, label: 'Change stage', custom_id: `run:influencer stage ${ID}` },
            { type: 2, style: 4, label: 'Archive', custom_id: `run:influencer archive ${ID}` },
            { type: 2, style: 2, label: 'Share in channel', custom_id: `run:influencer show ${ID} share:yes` },
          ],
        },
      ],
      flags: 64,
      allowed_mentions: { parse: [] },
    });
  });

  it('GIVEN a channel reply that names a user WHEN rendered THEN not ephemeral and nobody is pinged', () => {
    expect(renderReply(text(`Zoë's birthday is in 3 days, ${mention(MARIA)}.`, 'channel'))).toEqual({
      content: `Zoë's birthday is in 3 days, <@${MARIA}>.`,
      embeds: [],
      components: [],
      flags: 0,
      allowed_mentions: { parse: [] },
    });
  });

  it('GIVEN plain text paragraphs and a trailing context WHEN rendered THEN description and footer without markdown', () => {
    const list = reply([para('2 creators · page 1 of 1'), para('• *Zoë* · id 1\n• *Sam* · id 2'), context('Archived creators are not listed; `/influencer restore <who>` brings one back.')]);
    expect(renderReply(list).embeds).toEqual([
      {
        description: '2 creators · page 1 of 1\n\n• **Zoë** · id 1\n• **Sam** · id 2',
        footer: { text: 'Archived creators are not listed; /influencer restore <who> brings one back.' },
      },
    ]);
  });

  it('GIVEN text over 2000 characters WHEN rendered THEN it moves to an embed description', () => {
    const long = 'x'.repeat(2500);
    const rendered = renderReply(text(long));
    expect(rendered.content).toBeUndefined();
    expect(rendered.embeds).toEqual([{ description: long }]);
    const huge = renderReply(text('y'.repeat(5000)));
    expect(huge.embeds[0]?.description).toHaveLength(4096);
    expect(huge.embeds[0]?.description?.endsWith('…')).toBe(true);
  });

  it('GIVEN an empty reply WHEN rendered THEN Discord still gets some content', () => {
    expect(renderReply(reply([])).content).toBe('\u200b');
  });

  it('GIVEN seven buttons, a duplicate, a long label and a line over 100 characters WHEN rendered THEN rows of five, duplicates and the long line dropped and logged', () => {
    const logger = { warn: vi.fn() };
    const many = reply([
      actions(...Array.from({ length: 7 }, (_, i) => button(`B${i}`, `influencer show ${i}`))),
      actions(button('again', 'influencer show 0'), button('L'.repeat(90), 'influencer list'), button('too long', `influencer show ${'z'.repeat(100)}`)),
    ]);
    const rendered = renderReply(many, { logger });
    expect(rendered.components.map((row) => row.components.map((b) => b.custom_id))).toEqual([
      ['run:influencer show 0', 'run:influencer show 1', 'run:influencer show 2', 'run:influencer show 3', 'run:influencer show 4'],
      ['run:influencer show 5', 'run:influencer show 6'],
      ['run:influencer list'],
    ]);
    expect((rendered.components[2]?.components[0] as { label: string }).label).toHaveLength(80);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[1]).toContain('over 100 characters');
  });

  it('GIVEN 30 fields and a 5000-character text WHEN rendered THEN 25 fields and the whole embed within 6000 characters', () => {
    const big = reply([
      header('Big'),
      para('d'.repeat(4000)),
      fields(Array.from({ length: 30 }, (_, i) => [`Field ${i}`, 'v'.repeat(200)] as [string, string])),
    ]);
    const [embed] = renderReply(big).embeds;
    expect(embed!.fields).toHaveLength(25);
    expect(embed!.fields![24]).toEqual({ name: '\u200b', value: '…and 6 more', inline: false });
    expect(embed!.description!.endsWith('…')).toBe(true);
    const total = (embed!.title?.length ?? 0) + (embed!.description?.length ?? 0) + embed!.fields!.reduce((s, f) => s + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(MAX_EMBED_TOTAL_LENGTH);
  });

  it('GIVEN Slack-flavoured marks WHEN converted THEN Discord marks, code and mentions untouched', () => {
    expect(toDiscordMarkdown('*bold* and _it_ and ~gone~')).toBe('**bold** and _it_ and ~~gone~~');
    expect(toDiscordMarkdown('2*3*4 and a * b')).toBe('2*3*4 and a * b');
    expect(toDiscordMarkdown('<@123> `code`')).toBe('<@123> `code`');
    expect(toDiscordMarkdown('{"$gt": ""}')).toBe('{"$gt": ""}');
  });
});

describe('renderModal', () => {
  const addForm = influencer.subcommands.add!.form!({}, {} as CommandContext) as Form;

  it('GIVEN the add form WHEN rendered THEN its first five fields as text inputs, only name required', () => {
    expect(renderModal(addForm)).toEqual({
      custom_id: 'form:influencer add',
      title: 'Add a creator',
      components: [
        { type: 1, components: [{ type: 4, custom_id: 'name', label: 'Name', style: 1, required: true }] },
        {
          type: 1,
          components: [
            { type: 4, custom_id: 'handles', label: 'Handles (one per line)', style: 2, required: false, placeholder: 'instagram @zoe.creates 12500' },
          ],
        },
        { type: 1, components: [{ type: 4, custom_id: 'email', label: 'Email', style: 1, required: false, placeholder: 'zoe@example.com' }] },
        {
          type: 1,
          components: [{ type: 4, custom_id: 'birthday', label: 'Birthday (MM-DD or YYYY-MM-DD)', style: 1, required: false, placeholder: '07-14' }],
        },
        { type: 1, components: [{ type: 4, custom_id: 'tags', label: 'Tags', style: 1, required: false, placeholder: 'beauty, skincare' }] },
      ],
    });
  });

  it('GIVEN a select, a long label, a prefilled value and a date WHEN rendered THEN accepted values as placeholder and values within limits', () => {
    const form: Form = {
      kind: 'form',
      title: 'Touchpoint: a creator with a very long name indeed',
      submitLabel: 'Log',
      fields: [
        { name: 'kind', label: 'Kind', kind: 'select', required: true, initial: 'gift', options: ['outreach', 'gift'].map((v) => ({ value: v, label: v })) },
        { name: 'summary', label: 'Preferences (sizes, allergies, favourite products)', kind: 'multiline', initial: 's'.repeat(5000) },
        { name: 'date', label: 'Date', kind: 'date' },
      ],
      submit: { command: 'influencer', subcommand: 'log', args: { who: ID } },
    };
    expect(renderModal(form)).toEqual({
      custom_id: `form:influencer log who:${ID}`,
      title: 'Touchpoint: a creator with a very long name …',
      components: [
        { type: 1, components: [{ type: 4, custom_id: 'kind', label: 'Kind', style: 1, required: true, placeholder: 'One of: outreach, gift', value: 'gift' }] },
        {
          type: 1,
          components: [
            { type: 4, custom_id: 'summary', label: 'Preferences (sizes, allergies, favourite pro…', style: 2, required: false, value: `${'s'.repeat(3999)}…` },
          ],
        },
        { type: 1, components: [{ type: 4, custom_id: 'date', label: 'Date', style: 1, required: false, placeholder: 'YYYY-MM-DD' }] },
      ],
    });
  });

  it('GIVEN submit args with spaces and colons WHEN encoded THEN they decode back unchanged', () => {
    const submit = { command: 'influencer', subcommand: 'edit', args: { who: 'Zoë Tran', note: 'a:b c%' } };
    const id = encodeFormId(submit)!;
    expect(id).toBe('form:influencer edit who:Zo%C3%AB%20Tran note:a%3Ab%20c%25');
    expect(decodeFormId(id)).toEqual(submit);
    expect(decodeFormId('run:influencer list')).toBeUndefined();
    expect(decodeFormId('form:influencer')).toBeUndefined();
  });

  it('GIVEN submit args over 100 characters WHEN rendered THEN it refuses rather than losing them', () => {
    const form: Form = { ...addForm, submit: { command: 'influencer', subcommand: 'edit', args: { who: 'w'.repeat(100) } } };
    expect(encodeFormId(form.submit)).toBeUndefined();
    expect(() => renderModal(form)).toThrow(FormTooLargeError);
  });

  it('GIVEN submitted components in the raw, discord.js and label shapes WHEN read THEN field name -> value', () => {
    expect(
      readModalValues([
        { type: 1, components: [{ type: 4, custom_id: 'name', value: 'Zoë' }] },
        { type: 1, components: [{ type: 4, customId: 'email', value: '' }] },
        { type: 18, component: { type: 4, custom_id: 'tags', value: 'beauty' } },
      ]),
    ).toEqual({ name: 'Zoë', email: '', tags: 'beauty' });
  });
});

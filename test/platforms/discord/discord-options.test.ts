import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../../commands';
import influencer from '../../../commands/influencer.command';
import { defineCommand, optional, subcommand, text, wholeNumber } from '../../../src/core';
import {
  MAX_COMMAND_CHARACTERS,
  MAX_DESCRIPTION_LENGTH,
  MAX_OPTIONS,
  NAME_PATTERN,
  argumentNameFor,
  buildDiscordCommands,
  commandCharacters,
  optionsFor,
  subcommandOption,
  toDiscordName,
} from '../../../src/platforms/discord/discord-options';

const STAGE_CHOICES = ['prospect', 'contacted', 'negotiating', 'active', 'ambassador', 'paused', 'ended'].map((v) => ({ name: v, value: v }));
const KIND_CHOICES = ['outreach', 'reply', 'call', 'meeting', 'gift', 'event-invite', 'engagement', 'birthday-wish', 'briefing', 'feedback', 'note'].map(
  (v) => ({ name: v, value: v }),
);

const WHO = {
  type: 3,
  name: 'who',
  description: 'Who: a name, @handle or id',
  required: true,
  autocomplete: true,
  max_length: 200,
};

describe('the /influencer option JSON', () => {
  it('GIVEN log (it has a form) WHEN generated THEN positional options first, typed, with choices, autocomplete and format hints, none required, the description cut at a word', () => {
    expect(subcommandOption('log', influencer.subcommands.log!)).toEqual({
      type: 1,
      name: 'log',
      description: 'Log a touchpoint; it updates last contact. Kinds: outreach, reply, call, meeting, gift…',
      options: [
        { ...WHO, required: false },
        { type: 3, name: 'kind', description: 'Kind', required: false, choices: KIND_CHOICES },
        { type: 3, name: 'summary', description: 'Summary', required: false, max_length: 2000 },
        { type: 3, name: 'date', description: 'Date must be a date like 2026-11-28, Nov 28, 28 November 2026, today or in 3 days', required: false, max_length: 40 },
        { type: 3, name: 'at', description: 'At must be a moment like 2026-11-20T09:30:00Z or 2026-11-20T10:30:00+01:00', required: false, max_length: 40 },
      ],
    });
  });

  it('GIVEN list WHEN generated THEN the owner is a user picker and page an integer from 1', () => {
    expect(subcommandOption('list', influencer.subcommands.list!)).toEqual({
      type: 1,
      name: 'list',
      description: 'List creators by stage and owner, 20 a page; archived lists those archived; sort:health worst first.',
      options: [
        { type: 3, name: 'stage', description: 'Stage', required: false, choices: [...STAGE_CHOICES, { name: 'archived', value: 'archived' }] },
        { type: 6, name: 'owner', description: 'Owner (a member of this server)', required: false },
        { type: 4, name: 'page', description: 'Page (a whole number)', required: false, min_value: 1, max_value: Number.MAX_SAFE_INTEGER },
        { type: 3, name: 'sort', description: 'Sort', required: false, choices: [{ name: 'name', value: 'name' }, { name: 'health', value: 'health' }] },
      ],
    });
  });

  it('GIVEN add WHEN generated THEN name comes first, then handle (positional), then the rest in schema order; none required, so the bare command opens the form', () => {
    const options = optionsFor(influencer.subcommands.add!);
    expect(options.map((o) => `${o.name}${o.required ? '!' : ''}:${o.type}`)).toEqual([
      'name:3',
      'handle:3',
      'network:3',
      'followers:3',
      'handles:3',
      'email:3',
      'phone:3',
      'address:3',
      'birthday:3',
      'timezone:3',
      'tags:3',
      'preferences:3',
      'owner:6',
      'stage:3',
      'source:3',
      'notes:3',
    ]);
    // Text, so `18k` and `1.2M` can be typed on Discord as everywhere else.
    expect(options.find((o) => o.name === 'followers')).toEqual({
      type: 3,
      name: 'followers',
      description: 'Followers must be a count like 15000, 15,000, 18k or 1.2M',
      required: false,
    });
    expect(options.find((o) => o.name === 'birthday')?.description).toBe('Birthday must be a day like 07-14 (month first), 1998-07-14, Jul 14 or 14 July 1998');
  });

  it('GIVEN /influencer remind WHEN generated THEN its date says what it reads and its note is required, as the command requires it', () => {
    const influencer = buildDiscordCommands(commands).find((c) => c.name === 'influencer')!;
    const remind = (influencer.options as unknown as Array<{ name: string; options: Array<Record<string, unknown>> }>).find((o) => o.name === 'remind')!;
    expect(remind.options.slice(1)).toEqual([
      { name: 'date', description: 'When: in 5 days, tomorrow, Dec 12 or 2026-12-12', required: true, type: 3, max_length: 200 },
      { name: 'note', description: 'What to follow up on', required: true, type: 3, max_length: 1000 },
    ]);
  });

  it('GIVEN every command WHEN generated THEN every name, description, order and limit is one Discord accepts', () => {
    const json = buildDiscordCommands(commands);
    expect(json.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    for (const command of json) {
      expect(command.type).toBe(1);
      expect(commandCharacters(command)).toBeLessThanOrEqual(MAX_COMMAND_CHARACTERS);
      const subs = command.options as Array<{ type: number; name: string; description: string; options?: any[] }>;
      expect(subs.map((s) => s.name)).toContain('help');
      for (const sub of subs) {
        expect(sub.type).toBe(1);
        expect(sub.name).toMatch(NAME_PATTERN);
        expect(sub.description.length).toBeGreaterThan(0);
        expect(sub.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
        const options = sub.options ?? [];
        expect(options.length).toBeLessThanOrEqual(MAX_OPTIONS);
        const firstOptional = options.findIndex((o) => !o.required);
        if (firstOptional !== -1) expect(options.slice(firstOptional).every((o) => !o.required)).toBe(true);
        for (const option of options) {
          expect(option.name).toMatch(NAME_PATTERN);
          expect(option.name).toBe(option.name.toLowerCase());
          expect(option.description.length).toBeGreaterThan(0);
          expect(option.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
          // `who` is required where it names the record acted on, optional where it narrows a list.
          if (option.name === 'who') expect({ ...option, required: true }).toEqual(WHO);
          if (option.choices) expect(option.choices.length).toBeLessThanOrEqual(25);
        }
      }
    }
  });

  it('GIVEN the influencer command WHEN generated THEN every subcommand of the definition is there, in order, then help', () => {
    const [json] = buildDiscordCommands([influencer]);
    expect((json!.options ?? []).map((o) => o.name)).toEqual([...Object.keys(influencer.subcommands), 'help']);
    expect(json!.description).toBe('Keep every creator we work with: contacts, handles, birthday, preferences, stage and every…');
    expect(json!.contexts).toEqual([0]);
    expect(json!.integration_types).toEqual([0]);
  });
});

describe('zod introspection', () => {
  const letters = Array.from({ length: 26 }, (_, i) => `v${String.fromCharCode(97 + i)}`) as [string, ...string[]];
  const sample = defineCommand({
    name: 'sample',
    description: 'A command for the generator',
    subcommands: {
      every: subcommand({
        description: 'Every kind of field',
        positional: ['title'],
        input: z.object({
          flag: z.boolean().optional(),
          ratio: z.number().min(0.5).max(2).optional(),
          count: z.number().int().positive().lt(10),
          big: z.enum(letters).optional(),
          mode: z.literal(['fast', 'slow']).optional(),
          note: z.string().max(9000).describe('A note for the team').optional(),
          fallback: z.string().default('x'),
          maybe: z.string().nullable().optional(),
          title: z.string().min(1),
          pages: optional(wholeNumber('pages')),
        }),
        examples: [],
        run: () => text('ok'),
      }),
    },
  });

  it('GIVEN each zod type WHEN turned into options THEN types, bounds, choices and required follow the schema', () => {
    expect(optionsFor(sample.subcommands.every!)).toEqual([
      { type: 3, name: 'title', description: 'Title', required: true },
      { type: 4, name: 'count', description: 'Count (a whole number)', required: true, min_value: 1, max_value: 9 },
      { type: 5, name: 'flag', description: 'Flag', required: false },
      { type: 10, name: 'ratio', description: 'Ratio', required: false, min_value: 0.5, max_value: 2 },
      // 26 values cannot be choices: a free string the schema still checks.
      { type: 3, name: 'big', description: 'Big', required: false },
      { type: 3, name: 'mode', description: 'Mode', required: false, choices: [{ name: 'fast', value: 'fast' }, { name: 'slow', value: 'slow' }] },
      { type: 3, name: 'note', description: 'A note for the team', required: false, max_length: 6000 },
      { type: 3, name: 'fallback', description: 'Fallback', required: false },
      { type: 3, name: 'maybe', description: 'Maybe', required: false },
      { type: 4, name: 'pages', description: 'Pages (a whole number)', required: false, min_value: 0, max_value: Number.MAX_SAFE_INTEGER },
    ]);
  });

  it('GIVEN 30 arguments WHEN turned into options THEN 25 are kept, the required ones among them', () => {
    const shape = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`arg${i}`, i === 29 ? z.string() : z.string().optional()]));
    const many = subcommand({ description: 'many', input: z.object(shape), examples: [], run: () => text('ok') });
    const options = optionsFor(many);
    expect(options).toHaveLength(25);
    expect(options[0]).toMatchObject({ name: 'arg29', required: true });
  });

  it('GIVEN a camelCase argument WHEN named for Discord THEN it is lower-cased and maps back to the argument', () => {
    const camel = subcommand({ description: 'camel', input: z.object({ dueDate: z.string() }), examples: [], run: () => text('ok') });
    expect(optionsFor(camel)[0]?.name).toBe('duedate');
    expect(argumentNameFor(camel, 'duedate')).toBe('dueDate');
  });

  it('GIVEN a name Discord refuses WHEN converted THEN it throws naming it', () => {
    expect(toDiscordName('Due-Date')).toBe('due-date');
    expect(toDiscordName('zoë')).toBe('zoë');
    expect(() => toDiscordName('due date')).toThrow('"due date" cannot be a Discord command or option name');
    expect(() => toDiscordName('x'.repeat(33))).toThrow();
  });
});

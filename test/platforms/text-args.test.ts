import { describe, expect, it } from 'vitest';
import { parseTextArgs } from '../../src/platforms/text-args';

describe('parseTextArgs', () => {
  it('GIVEN quoted names, handles and key:value pairs THEN words and named values come apart', () => {
    expect(parseTextArgs('add "Zoë Tran" @zoe.creates network:instagram followers:12500 notes:"likes oat milk"')).toEqual({
      words: ['add', 'Zoë Tran', '@zoe.creates'],
      named: { network: 'instagram', followers: '12500', notes: 'likes oat milk' },
    });
  });

  it('GIVEN curly quotes from a phone keyboard THEN they quote like straight ones', () => {
    expect(parseTextArgs('show “Zoë Tran” history')).toEqual({ words: ['show', 'Zoë Tran', 'history'], named: {} });
  });

  it('GIVEN a URL or a Slack mention THEN it stays a positional word', () => {
    expect(parseTextArgs('log https://example.com/p/1 <@U123|maria>')).toEqual({
      words: ['log', 'https://example.com/p/1', '<@U123|maria>'],
      named: {},
    });
  });

  it('GIVEN an empty value THEN the key is kept with an empty string (clears on edit)', () => {
    expect(parseTextArgs('edit zoe email:')).toEqual({ words: ['edit', 'zoe'], named: { email: '' } });
  });

  it('GIVEN nothing THEN nothing', () => {
    expect(parseTextArgs('   ')).toEqual({ words: [], named: {} });
  });
});

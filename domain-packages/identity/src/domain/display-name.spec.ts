import { describe, it, expect } from '@jest/globals';
import { parseDisplayName } from './display-name.js';

describe('DisplayName', () => {
  it('trims and collapses white space', () => {
    expect(parseDisplayName('  Alice   Smith ')).toBe('Alice Smith');
  });

  it.each(['', '   ', 'x'.repeat(101), 'bad\u0007bell'])('rejects %j', (raw) => {
    expect(() => parseDisplayName(raw)).toThrow(/display name of 1 to 100/);
  });

  it.each([
    ['a right-to-left override', 'Alice\u202Egnp.exe'],
    ['a left-to-right isolate', 'Ali\u2066ce'],
    ['a zero-width space', 'Ali\u200Bce'],
    ['a zero-width joiner', 'Ali\u200Dce'],
    ['a word joiner', 'Ali\u2060ce'],
    ['a soft hyphen', 'Ad\u00ADmin'],
  ])('rejects a name with %s', (_what, raw) => {
    expect(() => parseDisplayName(raw)).toThrow(/invisible characters/);
  });

  it('keeps letters of every script', () => {
    expect(parseDisplayName('Zoë Ōkubo שלום')).toBe('Zoë Ōkubo שלום');
  });
});

import { describe, it, expect } from '@jest/globals';
import { parseDisplayName } from './display-name.js';

describe('DisplayName', () => {
  it('trims and collapses white space', () => {
    expect(parseDisplayName('  Alice   Smith ')).toBe('Alice Smith');
  });

  it.each(['', '   ', 'x'.repeat(101), 'bad\u0007bell'])('rejects %j', (raw) => {
    expect(() => parseDisplayName(raw)).toThrow(/display name of 1 to 100/);
  });
});

import { describe, it, expect } from '@jest/globals';
import { DomainError } from '@simple-securities/shared-kernel';
import { parsePassword } from './password.js';

describe('Password', () => {
  it.each(['alice-password-1', 'correct horse battery', 'Zürich-2026!', 'abcdefghi1'])(
    'accepts %j',
    (raw) => {
      expect(parsePassword(raw)).toBe(raw);
    },
  );

  it.each([
    ['too short', 'abc-12345', /at least 10 characters/],
    ['too long', `a1${'x'.repeat(127)}`, /at most 128/],
    ['letters only', 'abcdefghijkl', /Mix letters/],
    ['digits only', '12345678901', /Mix letters/],
    ['one character repeated', 'aaaaaaaaaa1', /more different characters/],
    ['holding NUL', 'alice-pass\u0000word-1', /control characters/],
    ['holding another control character', 'alice-pass\u001bword-1', /control characters/],
  ])('rejects a password that is %s', (_why, raw, message) => {
    expect(() => parsePassword(raw)).toThrow(message);
    expect(() => parsePassword(raw)).toThrow(DomainError);
  });

  it("rejects the account's own email as its password, in any case", () => {
    expect(() => parsePassword('Carol@Example.com', 'carol@example.com')).toThrow(
      /other than your email address/,
    );
    expect(parsePassword('carol@example.com-2', 'carol@example.com')).toBe('carol@example.com-2');
  });
});

import { describe, it, expect } from '@jest/globals';
import { isDomainError } from '@simple-securities/shared-kernel';
import { isEmail, parseEmail } from './email.js';

describe('Email', () => {
  it('is canonical: trimmed and lower-cased, so one address is one account', () => {
    expect(parseEmail('  Alice.Smith+Trading@Example.COM ')).toBe(
      'alice.smith+trading@example.com',
    );
  });

  it.each(['name@example.com', 'first.last@sub.example.co.uk', "o'brien@example.ie", 'x@a-b.io'])(
    'accepts %s',
    (raw) => {
      expect(isEmail(raw)).toBe(true);
    },
  );

  it.each([
    '',
    'plainaddress',
    '@example.com',
    'name@',
    'name@example',
    'name@@example.com',
    'na me@example.com',
    '.name@example.com',
    'na..me@example.com',
    'name@-example.com',
    'name@example.c',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
  ])('rejects %j as BAD_USER_INPUT', (raw) => {
    expect(isEmail(raw)).toBe(false);
    try {
      parseEmail(raw);
      throw new Error('accepted');
    } catch (error) {
      expect(isDomainError(error) && error.code).toBe('BAD_USER_INPUT');
    }
  });
});

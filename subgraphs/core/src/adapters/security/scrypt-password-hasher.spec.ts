import { describe, it, expect } from '@jest/globals';
import type { Password } from '@simple-securities/identity';
import { ScryptPasswordHasher } from './scrypt-password-hasher.js';

// A cheap cost keeps the spec fast; the format and logic are the same at any cost.
const cheap = new ScryptPasswordHasher({ N: 2 ** 10, r: 8, p: 1 });
const password = 'alice-password-1' as Password;

describe('scrypt password hasher', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const hash = await cheap.hash(password);
    expect(hash).toMatch(/^scrypt\$v1\$N=1024,r=8,p=1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await cheap.verify(password, hash)).toBe(true);
    expect(await cheap.verify('alice-password-2', hash)).toBe(false);
    expect(await cheap.verify('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await cheap.hash(password)).not.toBe(await cheap.hash(password));
  });

  it('still verifies hashes made with other parameters after the cost changes', async () => {
    const old = await cheap.hash(password);
    const current = new ScryptPasswordHasher();
    expect(await current.verify(password, old)).toBe(true);
    expect(await current.hash(password)).toMatch(/^scrypt\$v1\$N=32768,r=8,p=1\$/);
  });

  it('treats a hash it cannot read as a mismatch', async () => {
    expect(await cheap.verify(password, 'plain-text')).toBe(false);
    expect(await cheap.verify(password, 'scrypt$v2$N=1024,r=8,p=1$AAAA$AAAA')).toBe(false);
  });

  it('treats canonically equal Unicode spellings as the same password', async () => {
    const composed = 'Zürich-password-1' as Password;
    const decomposed = 'Zu\u0308rich-password-1';
    expect(await cheap.verify(decomposed, await cheap.hash(composed))).toBe(true);
  });
});

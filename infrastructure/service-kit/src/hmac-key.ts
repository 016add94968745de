import { createSecretKey, type KeyObject } from 'node:crypto';

const keys = new Map<string, KeyObject>();

/**
 * The HS256 key for a shared secret, imported once per secret: handing jose the
 * raw bytes makes it import the key again on every sign and verify, which
 * showed in the router's CPU profile.
 */
export const hmacKeyOf = (secret: string): KeyObject => {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
};

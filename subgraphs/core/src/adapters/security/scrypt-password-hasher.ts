import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Password, PasswordHasher } from '@simple-securities/identity';

export interface ScryptCost {
  /** CPU/memory cost, a power of two; memory used is 128 · N · r bytes. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** N=2^15, r=8: 32 MiB and ~50–100 ms per hash, the OWASP minimum for scrypt. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/**
 * Format: `scrypt$v1$N=…,r=…,p=…$<salt b64>$<key b64>`. The version and parameters
 * travel with each hash, so raising the cost later still verifies older hashes.
 */
const FORMAT = /^scrypt\$v1\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

const derive = (password: string, salt: Buffer, cost: ScryptCost, length: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      length,
      { ...cost, maxmem: 256 * cost.N * cost.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );

export class ScryptPasswordHasher implements PasswordHasher {
  constructor(private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {}

  async hash(password: Password): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(password, salt, this.cost, KEY_LENGTH);
    const { N, r, p } = this.cost;
    return `scrypt$v1$N=${N},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(password: string, hash: string): Promise<boolean> {
    const parts = FORMAT.exec(hash);
    if (!parts) return false;
    const [, N, r, p, salt, key] = parts as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const expected = Buffer.from(key, 'base64');
    const actual = await derive(
      password,
      Buffer.from(salt, 'base64'),
      { N: Number(N), r: Number(r), p: Number(p) },
      expected.length,
    );
    return timingSafeEqual(actual, expected);
  }
}

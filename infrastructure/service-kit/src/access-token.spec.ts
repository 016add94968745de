import { describe, it, expect } from '@jest/globals';
import { SignJWT } from 'jose';
import { issueAccessToken, verifyAccessToken } from './access-token.js';

const secret = 'access-token-spec-secret-at-least-32-characters';
const caller = { userId: 'u-1', roles: ['trader'], permissions: ['orders:write'] };
const at = (iso: string) => new Date(iso);

describe('access tokens', () => {
  it('speak for the caller they were issued to, verified again from memory', async () => {
    const { token } = await issueAccessToken(
      caller,
      { secret, ttlSeconds: 60 },
      at('2026-01-01T00:00:00Z'),
    );
    await expect(verifyAccessToken(token, secret, at('2026-01-01T00:00:10Z'))).resolves.toEqual(
      caller,
    );
    await expect(verifyAccessToken(token, secret, at('2026-01-01T00:00:20Z'))).resolves.toEqual(
      caller,
    );
  });

  it('are refused once expired, even after they verified', async () => {
    const { token } = await issueAccessToken(
      caller,
      { secret, ttlSeconds: 60 },
      at('2026-01-02T00:00:00Z'),
    );
    await verifyAccessToken(token, secret, at('2026-01-02T00:00:30Z'));
    await expect(verifyAccessToken(token, secret, at('2026-01-02T00:01:01Z'))).rejects.toThrow(
      'Your session has expired; sign in again.',
    );
  });

  it('are refused under another secret, even after they verified under theirs', async () => {
    const { token } = await issueAccessToken(caller, { secret, ttlSeconds: 60 });
    await verifyAccessToken(token, secret);
    await expect(verifyAccessToken(token, `${secret}-other`)).rejects.toThrow(
      'The bearer token is not valid; sign in again.',
    );
  });

  it('are refused without an expiry, since nothing would end them', async () => {
    const token = await new SignJWT({ roles: [], permissions: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setIssuer('simple-securities/core')
      .setAudience('simple-securities')
      .sign(new TextEncoder().encode(secret));
    await expect(verifyAccessToken(token, secret)).rejects.toThrow('The bearer token is not valid');
  });
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { hmacKeyOf } from './hmac-key.js';

/** The address of the client a router request came from, as the router's socket saw it. */
export const CLIENT_ADDRESS_HEADER = 'x-client-address';
/** Proves the address header comes from the router: an HMAC with the internal token. */
export const CLIENT_ADDRESS_SIGNATURE_HEADER = 'x-client-address-signature';

const signatureOf = (address: string, internalToken: string, audience: string) =>
  createHmac('sha256', hmacKeyOf(internalToken)).update(`${audience}\n${address}`).digest();

/** The headers that tell subgraph `audience` which address the client called from. */
export const clientAddressHeaders = (
  address: string,
  internalToken: string,
  audience: string,
): Record<string, string> => ({
  [CLIENT_ADDRESS_HEADER]: address,
  [CLIENT_ADDRESS_SIGNATURE_HEADER]: signatureOf(address, internalToken, audience).toString(
    'base64url',
  ),
});

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The client address the router forwarded, or undefined when there is none or its
 * signature does not verify: a client calling a subgraph directly cannot choose
 * the address its attempts are counted against.
 */
export const clientAddressFromHeaders = (
  headers: IncomingHttpHeaders,
  internalToken: string,
  audience: string,
): string | undefined => {
  const address = single(headers[CLIENT_ADDRESS_HEADER]);
  const signature = single(headers[CLIENT_ADDRESS_SIGNATURE_HEADER]);
  if (!address || !signature || address.length > 100) return undefined;
  const expected = signatureOf(address, internalToken, audience);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? address : undefined;
};

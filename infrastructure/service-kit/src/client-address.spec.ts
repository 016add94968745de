import { describe, expect, it } from '@jest/globals';
import {
  CLIENT_ADDRESS_HEADER,
  clientAddressFromHeaders,
  clientAddressHeaders,
} from './client-address.js';

const TOKEN = 'internal-token-for-the-spec';

describe('the client address the router forwards', () => {
  it('is read back by the subgraph it was signed for', () => {
    const headers = clientAddressHeaders('203.0.113.7', TOKEN, 'core');

    expect(clientAddressFromHeaders(headers, TOKEN, 'core')).toBe('203.0.113.7');
  });

  it('is ignored when a client sets it itself, changes it, or it was meant for another subgraph', () => {
    const signed = clientAddressHeaders('203.0.113.7', TOKEN, 'core');

    expect(clientAddressFromHeaders({ [CLIENT_ADDRESS_HEADER]: '10.0.0.1' }, TOKEN, 'core')).toBe(
      undefined,
    );
    expect(
      clientAddressFromHeaders({ ...signed, [CLIENT_ADDRESS_HEADER]: '10.0.0.1' }, TOKEN, 'core'),
    ).toBeUndefined();
    expect(clientAddressFromHeaders(signed, 'another-internal-token', 'core')).toBeUndefined();
    expect(clientAddressFromHeaders(signed, TOKEN, 'crypto')).toBeUndefined();
  });
});
